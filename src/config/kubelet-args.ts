// `--kubelet-arg key=value` (repeatable, as k3s takes it): the kubelet
// settings tsk8s lets a user change, parsed and checked here so a bad one
// stops the server before anything starts. Keys and value formats are the
// kubelet's own flags': eviction-hard ("memory.available<200Mi,
// nodefs.available<5%"), image-gc-high-threshold and image-gc-low-threshold
// (percent of the image filesystem).
import { parseQuantity, quantitySign, quantityValue } from '../machinery/index.js';
import { defaults } from './defaults.js';
import { ConfigError } from './errors.js';

const signals = ['memory.available', 'nodefs.available', 'nodefs.inodesFree', 'imagefs.available', 'imagefs.inodesFree', 'pid.available'] as const;
type Signal = (typeof signals)[number];

/** `quantity`: bytes, inodes or pids; `percentage`: a fraction of the signal's capacity, 0 < p < 1. */
export type Threshold = { quantity: number } | { percentage: number };

export interface KubeletArgs {
  /** Hard eviction thresholds; undefined: the kubelet's defaults. Given, it replaces them all (as upstream): a signal left out is not watched. */
  evictionHard: Partial<Record<Signal, Threshold>> | undefined;
  imageGcHighThresholdPercent: number;
  imageGcLowThresholdPercent: number;
}

const keys = ['eviction-hard', 'image-gc-high-threshold', 'image-gc-low-threshold'] as const;
type Key = (typeof keys)[number];

const isKey = (key: string): key is Key => (keys as readonly string[]).includes(key);
const isSignal = (name: string): name is Signal => (signals as readonly string[]).includes(name);

function bad(message: string): ConfigError {
  return new ConfigError('bad-flag', `--kubelet-arg ${message}`);
}

/** `signal<value`, comma-separated; a repeated eviction-hard adds to (or overrides signals of) the one before. */
function parseEvictionHard(text: string, into: Partial<Record<Signal, Threshold>>): void {
  for (const statement of text.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const m = /^([^<>=]+)<(.+)$/.exec(statement);
    if (!m) throw bad(`eviction-hard must be signal<quantity or signal<percent%, comma-separated (got "${statement}")`);
    const name = (m[1] ?? '').trim();
    const value = (m[2] ?? '').trim();
    if (!isSignal(name)) throw bad(`eviction-hard: unsupported eviction signal "${name}" (supported: ${signals.join(', ')})`);
    const threshold = parseThreshold(name, value);
    if (threshold) into[name] = threshold;
    else delete into[name];
  }
}

/** A threshold, or undefined for 0% and 100% (which turn the signal off, as upstream). */
function parseThreshold(signal: Signal, value: string): Threshold | undefined {
  if (value.endsWith('%')) {
    const number = value.slice(0, -1);
    const percent = /^\d+(\.\d+)?$/.test(number) ? Number(number) : NaN;
    if (!(percent >= 0 && percent <= 100)) throw bad(`eviction-hard: ${signal} must be a percentage from 0% to 100% (got "${value}")`);
    return percent === 0 || percent === 100 ? undefined : { percentage: percent / 100 };
  }
  let quantity: number;
  try {
    const q = parseQuantity(value);
    quantity = quantitySign(q) > 0 ? Number(quantityValue(q)) : NaN;
  } catch {
    quantity = NaN;
  }
  if (!(quantity > 0)) throw bad(`eviction-hard: ${signal} must be a positive quantity like 100Mi or a percentage like 10% (got "${value}")`);
  return { quantity };
}

function parsePercent(key: Key, value: string): number {
  const n = /^\d{1,3}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 0 && n <= 100)) throw bad(`${key} must be a whole number from 0 to 100 (got "${value}")`);
  return n;
}

/** Parses every `--kubelet-arg`; throws ConfigError on an unknown key or a bad value. */
export function parseKubeletArgs(values: string[]): KubeletArgs {
  let evictionHard: Partial<Record<Signal, Threshold>> | undefined;
  let high: number = defaults.imageGcHighThresholdPercent;
  let low: number = defaults.imageGcLowThresholdPercent;
  for (const raw of values) {
    const text = raw.trim().replace(/^--/, '');
    const eq = text.indexOf('=');
    const key = eq < 0 ? text : text.slice(0, eq);
    if (!isKey(key)) throw bad(`"${key}" is not a kubelet argument tsk8s supports (supported: ${keys.join(', ')})`);
    if (eq < 0) throw bad(`${key} needs a value: ${key}=...`);
    const value = text.slice(eq + 1).trim();
    if (key === 'eviction-hard') parseEvictionHard(value, (evictionHard ??= {}));
    else if (key === 'image-gc-high-threshold') high = parsePercent(key, value);
    else low = parsePercent(key, value);
  }
  if (low >= high) throw bad(`image-gc-low-threshold (${low}) must be less than image-gc-high-threshold (${high})`);
  return { evictionHard, imageGcHighThresholdPercent: high, imageGcLowThresholdPercent: low };
}
