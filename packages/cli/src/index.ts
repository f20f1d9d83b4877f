export { run, type Io } from './run.ts';
export { agreementOf } from './agreement-command.ts';
export { convert, READ_FORMATS, WRITE_FORMATS, type ConvertReport, type ReadFormat, type WriteFormat } from './convert-command.ts';
export { EXIT, USAGE } from './usage.ts';
