/**
 * A glob as a regular expression over a path relative to the checkpoint directory: `*` and `?`
 * stay within one segment, `**` crosses segments, `[...]` is a class, `{a,b}` alternatives.
 */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end === -1) source += '\\[';
      else {
        const body = glob
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        source += `[${body}]`;
        i = end;
      }
    } else if (c === '{') {
      const end = glob.indexOf('}', i + 1);
      if (end === -1) source += '\\{';
      else {
        source += `(?:${glob
          .slice(i + 1, end)
          .split(',')
          .map(escapeLiteral)
          .join('|')})`;
        i = end;
      }
    } else source += escapeLiteral(c);
  }
  return new RegExp(`^${source}$`);
}

const escapeLiteral = (text: string) => text.replace(/[.+^$()|\\/\]{}[*?]/g, '\\$&');
