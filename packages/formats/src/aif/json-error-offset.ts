/**
 * Where JSON.parse failed. V8 names a position for some errors ("... at position 11") but not
 * for others ("Unexpected token ']', ... is not valid JSON"), so this re-scans the input
 * against the JSON grammar and returns the offset of the first character that cannot be
 * there. Only called after JSON.parse has thrown, so speed does not matter.
 */
export function jsonErrorOffset(json: string): number {
  let i = 0;
  const space = () => {
    while (i < json.length && ' \t\n\r'.includes(json[i]!)) i++;
  };
  const fail = (): never => {
    throw new Stop(i);
  };
  const literal = (word: string) => {
    for (const c of word) {
      if (json[i] !== c) fail();
      i++;
    }
  };
  const string = () => {
    i++;
    for (;;) {
      const c = json[i];
      if (c === undefined || c < ' ') fail();
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        i++;
        const e = json[i];
        if (e === 'u') {
          for (let k = 0; k < 4; k++) {
            i++;
            if (!/[0-9a-fA-F]/.test(json[i] ?? '')) fail();
          }
          i++;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i++;
        else fail();
      } else i++;
    }
  };
  const number = () => {
    const match = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    match.lastIndex = i;
    const found = match.exec(json);
    if (!found) fail();
    i += found![0].length;
  };
  const value = (): void => {
    space();
    const c = json[i];
    if (c === '{') {
      i++;
      space();
      if (json[i] === '}') return void i++;
      for (;;) {
        space();
        if (json[i] !== '"') fail();
        string();
        space();
        if (json[i] !== ':') fail();
        i++;
        value();
        space();
        if (json[i] === '}') return void i++;
        if (json[i] !== ',') fail();
        i++;
      }
    }
    if (c === '[') {
      i++;
      space();
      if (json[i] === ']') return void i++;
      for (;;) {
        value();
        space();
        if (json[i] === ']') return void i++;
        if (json[i] !== ',') fail();
        i++;
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return number();
    fail();
  };
  try {
    if (json.charCodeAt(0) === 0xfeff) i = 1;
    value();
    space();
    if (i < json.length) fail();
  } catch (error) {
    if (error instanceof Stop) return error.offset;
    throw error;
  }
  return json.length;
}

class Stop {
  constructor(readonly offset: number) {}
}
