/**
 * The parts of a Pod the evaluation reads. Both `kubectl get -o json` objects (timestamps as
 * strings) and client-node's V1Pod (timestamps as Date) fit, so evaluation is a pure function
 * over either.
 */
export type Timestamp = Date | string;

export interface ContainerStateShape {
  readonly waiting?: { readonly reason?: string; readonly message?: string };
  readonly running?: { readonly startedAt?: Timestamp };
  readonly terminated?: {
    readonly reason?: string;
    readonly exitCode?: number;
    readonly finishedAt?: Timestamp;
  };
}

export interface ContainerStatusShape {
  readonly name: string;
  readonly ready?: boolean;
  readonly restartCount?: number;
  readonly state?: ContainerStateShape;
  readonly lastState?: ContainerStateShape;
}

export interface PodShape {
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly creationTimestamp?: Timestamp;
    readonly deletionTimestamp?: Timestamp;
    readonly ownerReferences?: readonly { readonly kind?: string; readonly name?: string }[];
  };
  readonly spec?: { readonly nodeName?: string };
  readonly status?: {
    readonly phase?: string;
    readonly reason?: string;
    readonly message?: string;
    readonly startTime?: Timestamp;
    readonly conditions?: readonly {
      readonly type?: string;
      readonly status?: string;
      readonly lastTransitionTime?: Timestamp;
    }[];
    readonly containerStatuses?: readonly ContainerStatusShape[];
    readonly initContainerStatuses?: readonly ContainerStatusShape[];
  };
}

export function toMillis(value: Timestamp | undefined | null): number | undefined {
  if (value === undefined || value === null) return undefined;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
