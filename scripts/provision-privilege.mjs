// Can this process install Debian packages? Shared by the browser and PostgreSQL provisioning.
// Plain Node, no dependencies: it runs before `npm install` has.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function onPath(command, path = process.env.PATH) {
  for (const dir of (path || '').split(delimiter)) {
    if (dir && isExecutable(join(dir, command))) return join(dir, command);
  }
  return undefined;
}

/**
 * How apt-get can be run here: 'root' (we are root), 'sudo' (sudo works without a password prompt), or
 * undefined (no apt-get, or no way to run it as root without asking someone).
 * @returns {'root' | 'sudo' | undefined}
 */
export function aptPrivilege() {
  if (!onPath('apt-get')) return undefined;
  if (process.getuid?.() === 0) return 'root';
  if (!onPath('sudo')) return undefined;
  // -n: never prompt; a sudo that needs a password is as good as none for an unattended `npm test`
  return spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0 ? 'sudo' : undefined;
}

/**
 * Installs Debian packages (apt-get update once, then install without recommends). Output goes to stderr.
 * @param {'root' | 'sudo'} privilege
 * @param {string[]} packages
 * @returns {boolean} whether apt-get succeeded
 */
export function aptInstall(privilege, packages) {
  const run = (args) => {
    // sudo drops most of the environment: DEBIAN_FRONTEND goes on the command line
    const argv = ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', ...args];
    const [command, rest] = privilege === 'root' ? [argv[0], argv.slice(1)] : ['sudo', ['-n', ...argv]];
    return spawnSync(command, rest, { stdio: ['ignore', 2, 2] }).status === 0;
  };
  return run(['update', '-qq']) && run(['install', '-y', '-qq', '--no-install-recommends', ...packages]);
}
