import type { PlatformKind } from './platform.ts';

/** One finished platform API request, as the adapters report it (for metrics). */
export interface ApiCall {
  platform: PlatformKind;
  method: string;
  /** HTTP status, or `network` when no response came back. */
  status: number | 'network';
  durationSeconds: number;
}

export type ApiCallObserver = (call: ApiCall) => void;
