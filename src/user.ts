import { readFileSync } from 'node:fs';
import { lazyRequire } from './lazy.js';

/** The uid of a passwd line's name field, for {@link findPasswdUid}. Pure. */
export function findPasswdUid(passwd: string, name: string): number | undefined {
  for (const line of passwd.split('\n')) {
    const f = line.split(':');
    if (f.length >= 7 && f[0] === name && /^[0-9]+$/.test(f[2]!)) return Number(f[2]);
  }
  return undefined;
}

/**
 * getpwnam(name): /etc/passwd first (the "files" source that nsswitch consults first), then NSS through
 * `getent passwd` for LDAP/SSSD users. A numeric NAME is a name, never a uid, as in psmisc: getent's answer must
 * carry that exact name. Spawns nothing for local users.
 */
export function readPasswdName(name: string): number | undefined {
  if (name === '' || name.includes('\n') || name.includes(':')) return undefined;
  try {
    const uid = findPasswdUid(readFileSync('/etc/passwd', 'latin1'), name);
    if (uid !== undefined) return uid;
  } catch {
    // No /etc/passwd: NSS may still know the user.
  }
  try {
    const { spawnSync } = lazyRequire('node:child_process') as typeof import('node:child_process');
    const r = spawnSync('getent', ['passwd', '--', Buffer.from(name, 'latin1').toString()], {
      encoding: 'latin1',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 10_000,
    });
    if (r.status === 0 && typeof r.stdout === 'string') return findPasswdUid(r.stdout, name);
  } catch {
    // getent missing: the user is unknown.
  }
  return undefined;
}

/** The name of a passwd line's uid field (the first such line), for {@link readPasswdUid}. Pure. */
export function findPasswdName(passwd: string, uid: number): string | undefined {
  for (const line of passwd.split('\n')) {
    const f = line.split(':');
    if (f.length >= 7 && f[2] === String(uid)) return f[0];
  }
  return undefined;
}

const uidNames = new Map<number, string | undefined>();

/** getpwuid(uid)->pw_name from /etc/passwd (local users; others show as their number). Cached per uid. */
export function readPasswdUid(uid: number): string | undefined {
  if (uidNames.has(uid)) return uidNames.get(uid);
  let name: string | undefined;
  try {
    name = findPasswdName(readFileSync('/etc/passwd', 'latin1'), uid);
  } catch {
    name = undefined;
  }
  uidNames.set(uid, name);
  return name;
}
