/**
 * Splits a command string into argv the way a POSIX shell splits words, without being a shell:
 * single and double quotes and backslash escapes are honoured; pipes, redirections, `;`, `&&`,
 * substitutions and variables are refused (the command is run without a shell, so they would not
 * do what the author expects). Returns the words or the reason it refused.
 */
export function splitCommandLine(text: string): { argv: string[] } | { error: string } {
  const argv: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1]!)) word += text[++i];
      else if (c === '$' || c === '`') return { error: `'${c}' (expansion) is not supported in a command` };
      else word += c;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\') {
      if (i + 1 < text.length) word += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) argv.push(word);
      word = '';
      inWord = false;
    } else if ('|&;<>()$`'.includes(c)) {
      return {
        error: `'${c}' is a shell operator; commands run without a shell (write a script and call it instead)`,
      };
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) return { error: `unterminated ${quote} quote` };
  if (inWord) argv.push(word);
  if (argv.length === 0) return { error: 'the command is empty' };
  return { argv };
}
