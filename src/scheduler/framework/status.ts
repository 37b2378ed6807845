// The coded result every plugin returns instead of throwing, as upstream's
// framework.Status: a code, the reasons shown to users, and the plugin that
// produced it.

export const Code = {
  Success: 'Success',
  /** Internal failure; the pod is retried with back-off. */
  Error: 'Error',
  /** The node does not fit now; preempting pods might help. */
  Unschedulable: 'Unschedulable',
  /** The node does not fit, and preemption would not change that. */
  UnschedulableAndUnresolvable: 'UnschedulableAndUnresolvable',
  /** The plugin has nothing to say about this pod (e.g. no constraints): skip its Filter or Score. */
  Skip: 'Skip',
} as const;
export type Code = (typeof Code)[keyof typeof Code];

export interface Status {
  readonly code: Code;
  readonly reasons: readonly string[];
  /** The plugin that failed, filled in by the framework. */
  readonly plugin?: string;
}

export const success: Status = Object.freeze({ code: Code.Success, reasons: [] });
export const skip: Status = Object.freeze({ code: Code.Skip, reasons: [] });

export function unschedulable(...reasons: string[]): Status {
  return { code: Code.Unschedulable, reasons };
}

export function unresolvable(...reasons: string[]): Status {
  return { code: Code.UnschedulableAndUnresolvable, reasons };
}

export function errorStatus(message: string): Status {
  return { code: Code.Error, reasons: [message] };
}

export function isSuccess(s: Status): boolean {
  return s.code === Code.Success;
}

/** Unschedulable or UnschedulableAndUnresolvable: the node (or pod) was rejected, not broken. */
export function isRejected(s: Status): boolean {
  return s.code === Code.Unschedulable || s.code === Code.UnschedulableAndUnresolvable;
}

export function withPlugin(s: Status, plugin: string): Status {
  return { ...s, plugin };
}

/** The reasons joined as upstream's Status.Message(). */
export function statusMessage(s: Status): string {
  return s.reasons.join(', ');
}
