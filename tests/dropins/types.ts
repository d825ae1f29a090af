/**
 * Compile-time checks (this file is built with the tests; a mismatch fails the build): the hand-written types that
 * the wrapper packages ship (and killall-ts's CommonJS entries copy) describe the drop-ins' implementations.
 */
import type fkillDecl from '../../packages/fkill/index.js';
import type killPortDecl from '../../packages/kill-port/index.js';
import type pidtreeLegacyDecl from '../../packages/pidtree/index.cjs';
import type { pidtree as pidtreeDecl } from '../../packages/pidtree/index.mjs';
import type treeKillDecl from '../../packages/tree-kill/index.js';
import fkill from '../../src/dropins/fkill.js';
import { killPort } from '../../src/dropins/kill-port.js';
import { pidtree } from '../../src/dropins/pidtree.js';
import { pidtreeLegacy } from '../../src/dropins/pidtree-core.js';
import { treeKill } from '../../src/dropins/tree-kill.js';

// Each implementation is usable wherever its declared type is, and (where the declaration is not narrower than the
// runtime, as kill-port's `method` is) the other way round.
export const checks = {
  treeKill: treeKill satisfies typeof treeKillDecl,
  treeKillBack: ((): typeof treeKill => null as unknown as typeof treeKillDecl)(),
  pidtree: pidtree satisfies typeof pidtreeDecl,
  pidtreeBack: ((): typeof pidtree => null as unknown as typeof pidtreeDecl)(),
  pidtreeLegacy: pidtreeLegacy satisfies typeof pidtreeLegacyDecl,
  pidtreeLegacyBack: ((): typeof pidtreeLegacy => null as unknown as typeof pidtreeLegacyDecl)(),
  fkill: fkill satisfies typeof fkillDecl,
  fkillBack: ((): typeof fkill => null as unknown as typeof fkillDecl)(),
  killPort: killPort satisfies typeof killPortDecl,
};
