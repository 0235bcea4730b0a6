/** Parsers for option values (durations, sizes, signals, counts, repeatable lists), shared by every command: a bad value is one line, exit 2. */

import { InvalidArgumentError, Option } from 'commander';
import { durationText, parseDuration } from '../core/duration.ts';
import { signalName, signalNumber } from '../core/exit-status.ts';
import { parseSize } from '../core/size.ts';
import { parseDumpSignal, parseOnRule, parseParam, type OnRule, type Parsed } from '../core/run-options/restart-values.ts';

export const durationOption = (value: string): number => {
  const parsed = parseDuration(value);
  if ('error' in parsed) throw new InvalidArgumentError(parsed.error);
  return parsed.ms;
};
/** A timeout that can be switched off: `0` or `off` (never fires). */
export const optionalTimeoutOption = (value: string): number => {
  if (value.trim().toLowerCase() === 'off') return Number.POSITIVE_INFINITY;
  const ms = durationOption(value);
  return ms === 0 ? Number.POSITIVE_INFINITY : ms;
};
/** A duration option whose default `--help` shows as it is typed ("30s", not 30000). */
export const durationFlag = (flags: string, description: string, defaultMs?: number, parse = durationOption): Option => {
  const option = new Option(flags, description).argParser(parse);
  return defaultMs === undefined ? option : option.default(defaultMs, durationText(defaultMs));
};
export const sizeOption = (value: string): number => {
  const bytes = parseSize(value);
  if (bytes === null) throw new InvalidArgumentError('expected a size such as 500M or 2G');
  return bytes;
};
export const timeoutOption = (value: string): number | 'auto' => (value === 'auto' ? 'auto' : durationOption(value));
/** A parser shared with vigil.yaml, for commander. */
export const parsedOption =
  <T>(parse: (value: string) => Parsed<T>) =>
  (value: string): T => {
    const parsed = parse(value);
    if ('error' in parsed) throw new InvalidArgumentError(parsed.error);
    return parsed.value;
  };
export const signalOption = parsedOption(parseDumpSignal);
/**
 * Repeatable options: each use adds to what came before. No commander default (--help would show
 * "(default: [])"): resolveRunInvocation gives the empty list.
 */
export const paramOption = (value: string, previous: Record<string, string> = {}): Record<string, string> => {
  const { name, value: paramValue } = parsedOption(parseParam)(value);
  if (Object.hasOwn(previous, name)) throw new InvalidArgumentError(`${name} is already set (${name}=${previous[name]})`);
  return { ...previous, [name]: paramValue };
};
export const onRuleOption = (value: string, previous: OnRule[] = []): OnRule[] => {
  const rule = parsedOption(parseOnRule)(value);
  if (previous.some((other) => other.category === rule.category))
    throw new InvalidArgumentError(`a rule for ${rule.category} is already given`);
  return [...previous, rule];
};
export const listOption =
  <T>(parse: (value: string) => T[]) =>
  (value: string, previous: T[] = []): T[] => [...previous, ...parse(value)];
/** Any signal name or number Linux has ("SIGKILL", "kill", "9"), as its SIG name. */
export const anySignalOption = (value: string): string => {
  const number = signalNumber(value);
  const name = number === null ? null : signalName(number);
  if (name === null) throw new InvalidArgumentError('expected a signal name or number such as SIGKILL, TERM or 11');
  return name;
};
export const countOption = (value: string): number => {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number');
  return Number(value);
};
export const positiveCountOption = (value: string): number => {
  const count = countOption(value);
  if (count < 1) throw new InvalidArgumentError('expected a whole number above 0');
  return count;
};

/** A whole number, negative too (`--priority=-1`). */
export const integerOption = (value: string): number => {
  if (!/^-?\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number');
  return Number(value);
};
/** `--env NAME=VALUE`, repeatable. */
export const envOption = (value: string, previous: Record<string, string> = {}): Record<string, string> => {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(value);
  if (!match) throw new InvalidArgumentError('expected NAME=VALUE');
  return { ...previous, [match[1] as string]: match[2] as string };
};
/** GPU indices: `0,1,3`. */
export const gpuListOption = (value: string): number[] => {
  const ids = value.split(',').map((id) => id.trim());
  if (ids.some((id) => !/^\d+$/.test(id))) throw new InvalidArgumentError('expected GPU indices such as 0,1');
  return [...new Set(ids.map(Number))].sort((a, b) => a - b);
};
