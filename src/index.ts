export { KillallError, type KillallErrorCode } from './errors.js';
export type {
  DecisionRule,
  ExplainEvent,
  ExplainOptions,
  NearMissKind,
  SyscallName,
  SyscallRecord,
} from './explain/index.js';
export { findProcesses, type ProcessInfo } from './find.js';
export {
  type Criteria,
  type KillallOptions,
  type KillEvent,
  type KillReport,
  killall,
  type NameInput,
  type NameResult,
  type ProcessRef,
  resolveSignal,
  type SignalOptions,
  type SignalProcessesOptions,
  signalProcesses,
  type Target,
} from './killall.js';
export { parseTimeUnits } from './match/age.js';
export { compileEre, type Ere, type EreErrorCode, type EreOptions, EreSyntaxError } from './match/ere.js';
export type {
  ExtensionEvent,
  ExtensionOptions,
  ExtensionReport,
  TargetExtras,
  WaitOutcome,
} from './outcome.js';
export { parseStat, type StatInfo } from './procfs/stat.js';
export { InvalidPidError, validatePid } from './signal/pid.js';
export type { Pin } from './signal/send.js';
export { renderSignalList, SIGNAL_NAMES, signalName, signalNumber } from './signal/signals.js';
export { type WaitOptions, type WaitResult, type WaitTarget, waitForExit } from './signal/wait.js';
export { type PidfdResult, realSystem, type System } from './system.js';
export { type DurationError, MAX_DURATION_MS, parseDuration } from './text/duration.js';
export { escapeName } from './text/escape.js';
export type { ProcLink } from './tree.js';
export { type SignalTreeOptions, signalTree, type TreeReport } from './tree-signal.js';
export { type ProcessLinksOptions, processLinks, type TreeMember } from './tree-walk.js';
