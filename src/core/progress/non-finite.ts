/**
 * How jobs print a value that is not a finite number: `nan`, `NaN`, `inf`, `-Infinity`, and as a
 * float formatter writes them (`nan.0`, `inf.0`; PaddlePaddle's loggers pad to six characters with
 * `x`, `'{:x<6f}'`: `nanxxx`, `-infxx`). One spelling for every pattern that reads them
 * (progress, numeric fields, explain's non-finite metrics), in the cases people print, so that it
 * serves case-sensitive patterns as well as case-insensitive ones.
 */
export const NON_FINITE_SPELLING = String.raw`(?:nan|NaN|NAN|inf(?:inity)?|Inf(?:inity)?|INF(?:INITY)?)(?:\.0+|x{2,3})?`;
