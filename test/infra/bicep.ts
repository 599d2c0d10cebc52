/**
 * Just enough of a Bicep reader for the deployment tests: no Bicep compiler is available offline (it is a .NET
 * binary, not an npm package), so the tests read the declarations they check from the text.
 * Strings ('...' with \' escapes, and '''...''') and comments are understood; expressions are kept as text.
 */

/** Removes // and /* *\/ comments, leaving strings (which may contain //, as in https://) alone. */
export function stripComments(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; ) {
    if (text.startsWith("'''", i)) {
      const end = text.indexOf("'''", i + 3);
      const stop = end < 0 ? text.length : end + 3;
      out += text.slice(i, stop);
      i = stop;
    } else if (text[i] === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== "'") j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (text.startsWith('//', i)) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else {
      out += text[i++];
    }
  }
  return out;
}

/** Index of the bracket closing the one at `open` ({ or [ or (), skipping strings. */
export function matchBracket(text: string, open: number): number {
  const pairs: Record<string, string> = { '{': '}', '[': ']', '(': ')' };
  const stack: string[] = [];
  for (let i = open; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== "'") j += text[j] === '\\' ? 2 : 1;
      i = j;
    } else if (pairs[ch]) {
      stack.push(pairs[ch]);
    } else if (ch === stack[stack.length - 1]) {
      stack.pop();
      if (stack.length === 0) return i;
    }
  }
  throw new Error(`unbalanced bracket at ${open}`);
}

export interface BicepParam {
  name: string;
  type: string;
  /** The default expression, as written; undefined when the parameter has none. */
  defaultValue?: string;
  /** Decorator lines above the declaration (@secure(), @allowed([...]), @description('...')). */
  decorators: string;
}

export interface BicepBlock {
  kind: 'resource' | 'module';
  symbol: string;
  /** Resource type (Microsoft.Web/sites) or module path (./botRegistration/azurebot.bicep). */
  type: string;
  apiVersion?: string;
  /** The text between the outer braces. */
  body: string;
}

export interface BicepFile {
  text: string;
  params: Map<string, BicepParam>;
  vars: Map<string, string>;
  blocks: BicepBlock[];
  outputs: Map<string, { type: string; value: string }>;
}

/** The value of a top-level declaration starting at `from`: up to the end of the line, or the matching bracket. */
function valueAt(text: string, from: number): string {
  let end = text.indexOf('\n', from);
  if (end < 0) end = text.length;
  const line = text.slice(from, end);
  const open = line.search(/[{[(]\s*$/);
  if (open >= 0) {
    // Up to the matching bracket, and the rest of that line (`} : {}` of a ternary).
    const close = matchBracket(text, from + open);
    const rest = text.indexOf('\n', close);
    return text.slice(from, rest < 0 ? text.length : rest).trim();
  }
  // A ternary whose object spans lines: `cond ? {` ... `} : {}`
  const brace = line.lastIndexOf('{');
  if (brace >= 0 && matchBracketSafe(text, from + brace) > end) {
    const close = matchBracketSafe(text, from + brace);
    const rest = text.indexOf('\n', close);
    return text.slice(from, rest < 0 ? text.length : rest).trim();
  }
  return line.trim();
}

function matchBracketSafe(text: string, open: number): number {
  try {
    return matchBracket(text, open);
  } catch {
    return -1;
  }
}

export function parseBicep(source: string): BicepFile {
  const text = stripComments(source);
  const params = new Map<string, BicepParam>();
  const vars = new Map<string, string>();
  const blocks: BicepBlock[] = [];
  const outputs = new Map<string, { type: string; value: string }>();

  const lines = text.split('\n');
  let offset = 0;
  let decorators: string[] = [];
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!;
    const lineStart = offset;
    offset += line.length + 1;
    if (/^@/.test(line)) {
      // A decorator may span lines (@allowed([ ... ])).
      const open = line.indexOf('(');
      if (open >= 0) {
        const close = matchBracket(text, lineStart + open);
        decorators.push(text.slice(lineStart, close + 1));
        while (offset <= close) offset += lines[++n]!.length + 1;
      } else {
        decorators.push(line);
      }
      continue;
    }
    let m: RegExpExecArray | null;
    if ((m = /^param (\w+) (\w+)(?: = (.*))?$/.exec(line))) {
      params.set(m[1]!, {
        name: m[1]!,
        type: m[2]!,
        defaultValue: m[3] === undefined ? undefined : valueAt(text, lineStart + line.indexOf('= ') + 2),
        decorators: decorators.join('\n'),
      });
    } else if ((m = /^var (\w+) = /.exec(line))) {
      vars.set(m[1]!, valueAt(text, lineStart + m[0].length));
    } else if ((m = /^output (\w+) (\w+) = /.exec(line))) {
      outputs.set(m[1]!, { type: m[2]!, value: valueAt(text, lineStart + m[0].length) });
    } else if ((m = /^(resource|module) (\w+) '([^'@]+)(?:@([^']+))?' = (?:if \([^)]*\) )?\{/.exec(line))) {
      const open = lineStart + line.lastIndexOf('{');
      const close = matchBracket(text, open);
      blocks.push({ kind: m[1] as 'resource' | 'module', symbol: m[2]!, type: m[3]!, apiVersion: m[4], body: text.slice(open + 1, close) });
    }
    if (line.trim() !== '') decorators = [];
  }
  return { text, params, vars, blocks, outputs };
}

/** The top-level `key: value` pairs of an object body (nested objects and arrays kept as text). */
export function objectEntries(body: string): Map<string, string> {
  const entries = new Map<string, string>();
  const re = /^[ \t]*('?[\w$-]+'?):[ \t]*/gm;
  const depthOk = (at: number) => {
    // Only keys at depth 0 of `body`.
    let depth = 0;
    for (let i = 0; i < at; i++) {
      const ch = body[i]!;
      if (ch === "'") {
        let j = i + 1;
        while (j < body.length && body[j] !== "'") j += body[j] === '\\' ? 2 : 1;
        i = j;
      } else if (ch === '{' || ch === '[' || ch === '(') depth++;
      else if (ch === '}' || ch === ']' || ch === ')') depth--;
    }
    return depth === 0;
  };
  let m: RegExpExecArray | null;
  while ((m = re.exec(body))) {
    if (!depthOk(m.index)) continue;
    entries.set(m[1]!.replace(/'/g, ''), valueAt(body, m.index + m[0].length));
  }
  return entries;
}

/** The object at `path` (e.g. ['properties', 'siteConfig']) in a block body, as entries. */
export function objectAt(body: string, path: string[]): Map<string, string> {
  let current = objectEntries(body);
  for (const key of path) {
    const value = current.get(key);
    if (value === undefined || !value.startsWith('{')) throw new Error(`no object at ${path.join('.')}`);
    current = objectEntries(value.slice(1, -1));
  }
  return current;
}

export function blocksOfType(file: BicepFile, type: string): BicepBlock[] {
  return file.blocks.filter((b) => b.type === type);
}

export function onlyBlock(file: BicepFile, type: string): BicepBlock {
  const found = blocksOfType(file, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0]!;
}

/** A quoted Bicep string literal's value ('swedencentral' → swedencentral); undefined for any other expression. */
export function literal(expr: string | undefined): string | undefined {
  const m = /^'((?:[^'\\]|\\.)*)'$/.exec(expr?.trim() ?? '');
  return m ? m[1]!.replace(/\\(.)/g, '$1') : undefined;
}

/** Object literals at the top level of an expression (both branches of a ternary, each argument of union()). */
export function objectLiterals(expr: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < expr.length; i++) {
    const ch = expr[i]!;
    if (ch === "'") {
      let j = i + 1;
      while (j < expr.length && expr[j] !== "'") j += expr[j] === '\\' ? 2 : 1;
      i = j;
    } else if (ch === '{') {
      const close = matchBracket(expr, i);
      found.push(expr.slice(i + 1, close));
      i = close;
    }
  }
  return found;
}

/** The text of an expression with the literal parts of its strings blanked ('${x}' interpolations kept). */
function codeOnly(expr: string): string {
  let out = '';
  for (let i = 0; i < expr.length; i++) {
    if (expr[i] !== "'") {
      out += expr[i];
      continue;
    }
    let j = i + 1;
    while (j < expr.length && expr[j] !== "'") {
      if (expr[j] === '\\') j += 2;
      else if (expr.startsWith('${', j)) {
        const close = matchBracket(expr, j + 1);
        out += ` ${expr.slice(j + 2, close)} `;
        j = close + 1;
      } else j++;
    }
    i = j;
  }
  return out;
}

/**
 * Resources and modules a block depends on, as ARM will order them: its explicit dependsOn, its parent, and every
 * symbol its body refers to, directly or through variables (Bicep inlines those and adds the dependency).
 */
export function directDependencies(file: BicepFile, block: BicepBlock): Set<string> {
  const symbols = new Set(file.blocks.map((b) => b.symbol));
  const found = new Set<string>();
  const seenVars = new Set<string>();
  const visit = (expr: string) => {
    for (const m of codeOnly(expr).matchAll(/(?<![.\w])([A-Za-z_]\w*)\b/g)) {
      const name = m[1]!;
      if (symbols.has(name) && name !== block.symbol) found.add(name);
      else if (file.vars.has(name) && !seenVars.has(name)) {
        seenVars.add(name);
        visit(file.vars.get(name)!);
      }
    }
  };
  visit(block.body);
  return found;
}

/** Every block `symbol` waits for, transitively. */
export function allDependencies(file: BicepFile, symbol: string): Set<string> {
  const bySymbol = new Map(file.blocks.map((b) => [b.symbol, b]));
  const result = new Set<string>();
  const stack = [symbol];
  while (stack.length > 0) {
    const block = bySymbol.get(stack.pop()!);
    if (!block) continue;
    for (const dep of directDependencies(file, block)) {
      if (!result.has(dep)) {
        result.add(dep);
        stack.push(dep);
      }
    }
  }
  return result;
}
