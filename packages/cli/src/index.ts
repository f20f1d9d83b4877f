export { STUDIO_COMMANDS, parseArgs, run, type Io, type StudioCommand } from './run.ts';
export { agreementOf } from './agreement-command.ts';
export { convert, inputFiles, READ_FORMATS, WRITE_FORMATS, type ConvertReport, type ReadFormat, type WriteFormat } from './convert-command.ts';
export { EXIT, USAGE, UsageError } from './usage.ts';
