/** A path's last component, `/` or `\` separated (core has no node:path): `train.py` of `C:\work\train.py`. */
export const lastPathPart = (path: string): string => path.split(/[\\/]/).pop() ?? path;
