// From the metrics' recommendation to the replica count the HPA sets, as
// upstream normalizes it: stabilization over recent recommendations (a
// scale-down takes the highest recommendation of its window, default
// 300 s; with `behavior`, a scale-up the lowest of its own), then the
// bounds: min/max replicas and the scale rate (without `behavior`, at most
// max(2×current, 4); with it, the scaling policies over the changes made
// within each policy's period). Each bound that applies is reported as the
// ScalingLimited condition's reason.
import type { autoscalingv2 } from '../api/types.js';

type Rules = autoscalingv2.HPAScalingRules;

export interface Recommendation {
  timestampMs: number;
  replicas: number;
}

/** A replica change the controller made (positive up, negative down). */
export interface ScaleEvent {
  timestampMs: number;
  change: number;
}

export interface NormalizeInput {
  current: number;
  desired: number;
  min: number;
  max: number;
  behavior: autoscalingv2.HorizontalPodAutoscalerBehavior | undefined;
  /** Earlier recommendations of this HPA, oldest first. */
  recommendations: readonly Recommendation[];
  events: readonly ScaleEvent[];
  nowMs: number;
  /** The scale-down stabilization window when `behavior` does not set one (upstream's flag, 300 s). */
  defaultDownscaleWindowMs: number;
}

export interface Limit {
  reason: string;
  message: string;
}

export interface Normalized {
  replicas: number;
  /** True when stabilization held the count back from the recommendation. */
  stabilized: boolean;
  limit: Limit | undefined;
}

const tooFew: Limit = { reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
const tooMany: Limit = { reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
const upLimit: Limit = { reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' };
const downLimit: Limit = { reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' };

function windowMs(rules: Rules | undefined, fallback: number): number {
  const s = rules?.stabilizationWindowSeconds;
  return s === undefined || s === null ? fallback : s * 1000;
}

function stabilize(input: NormalizeInput): number {
  const { current, desired, recommendations, nowMs, behavior } = input;
  const downCutoff = nowMs - windowMs(behavior?.scaleDown, input.defaultDownscaleWindowMs);
  if (!behavior) return Math.max(desired, ...recommendations.filter((r) => r.timestampMs > downCutoff).map((r) => r.replicas));
  const upCutoff = nowMs - windowMs(behavior.scaleUp, 0);
  let up = desired;
  let down = desired;
  for (const r of recommendations) {
    if (r.timestampMs > upCutoff) up = Math.min(up, r.replicas);
    if (r.timestampMs > downCutoff) down = Math.max(down, r.replicas);
  }
  let out = current;
  if (out < up) out = up;
  if (out > down) out = down;
  return out;
}

/** Replicas changed in the direction of `sign` within the period ending now. */
function changedWithin(events: readonly ScaleEvent[], periodSeconds: number, nowMs: number, sign: 1 | -1): number {
  const cutoff = nowMs - periodSeconds * 1000;
  return events.filter((e) => e.timestampMs > cutoff && Math.sign(e.change) === sign).reduce((sum, e) => sum + Math.abs(e.change), 0);
}

function scaleUpLimit(current: number, rules: Rules | undefined, events: readonly ScaleEvent[], nowMs: number): number {
  if (rules?.selectPolicy === 'Disabled') return current;
  const pick = rules?.selectPolicy === 'Min' ? Math.min : Math.max;
  let result = rules?.selectPolicy === 'Min' ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER;
  for (const p of rules?.policies ?? []) {
    const start = current - changedWithin(events, p.periodSeconds, nowMs, 1);
    result = pick(result, p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100)));
  }
  return (rules?.policies ?? []).length === 0 ? Number.MAX_SAFE_INTEGER : result;
}

function scaleDownLimit(current: number, rules: Rules | undefined, events: readonly ScaleEvent[], nowMs: number): number {
  if (rules?.selectPolicy === 'Disabled') return current;
  const minChange = rules?.selectPolicy === 'Min';
  let result = minChange ? Number.MIN_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
  for (const p of rules?.policies ?? []) {
    const start = current + changedWithin(events, p.periodSeconds, nowMs, -1);
    const proposed = p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
    result = minChange ? Math.max(result, proposed) : Math.min(result, proposed);
  }
  return (rules?.policies ?? []).length === 0 ? 0 : result;
}

export function normalizeReplicas(input: NormalizeInput): Normalized {
  const { current, min, max, behavior } = input;
  const stabilizedTo = stabilize(input);
  const stabilized = stabilizedTo !== input.desired;
  let replicas = stabilizedTo;
  let limit: Limit | undefined;
  if (!behavior) {
    const rateLimit = Math.max(2 * current, 4);
    const ceiling = Math.min(max, rateLimit);
    if (replicas < min) [replicas, limit] = [min, tooFew];
    else if (replicas > ceiling) [replicas, limit] = [ceiling, ceiling === max && max <= rateLimit ? tooMany : upLimit];
    return { replicas, stabilized, limit };
  }
  if (replicas > current) {
    const up = scaleUpLimit(current, behavior.scaleUp, input.events, input.nowMs);
    if (replicas > max && max <= up) [replicas, limit] = [max, tooMany];
    else if (replicas > up) [replicas, limit] = [Math.max(up, current), upLimit];
  } else if (replicas < current) {
    const down = scaleDownLimit(current, behavior.scaleDown, input.events, input.nowMs);
    if (replicas < min && min >= down) [replicas, limit] = [min, tooFew];
    else if (replicas < down) [replicas, limit] = [Math.min(down, current), downLimit];
  }
  if (replicas > max) [replicas, limit] = [max, tooMany];
  if (replicas < min) [replicas, limit] = [min, tooFew];
  return { replicas, stabilized, limit };
}
