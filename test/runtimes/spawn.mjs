// Runs a runtime as a child process and reads the suite's outcome from the last line it prints.
import { execFile } from "node:child_process";

/** Runs `command args` in `cwd` (at most `timeout` ms) and parses its last stdout line as JSON. */
export const runJson = (command, args, { cwd, timeout = 90_000, env } = {}) =>
  new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { cwd, timeout, env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          reject(
            new Error(
              `${command} ${args.join(" ")} failed: ${error.message.split("\n")[0]}\n${stderr.trim().slice(-1500)}`,
            ),
          );
          return;
        }
        const last = stdout.trim().split("\n").pop() ?? "";
        try {
          resolve(JSON.parse(last));
        } catch {
          reject(
            new Error(
              `${command} printed no JSON outcome: ${stdout.slice(-500)}${stderr.slice(-1000)}`,
            ),
          );
        }
      },
    );
  });

/** Resolves to true when `command args` exits 0, else rejects with its output. */
export const runOk = (command, args, options = {}) =>
  new Promise((resolve, reject) => {
    execFile(command, args, { timeout: 90_000, ...options }, (error, stdout, stderr) => {
      if (error)
        reject(
          new Error(
            `${command} ${args.join(" ")}: ${error.message.split("\n")[0]}\n${`${stdout}${stderr}`.trim().slice(-1500)}`,
          ),
        );
      else resolve(true);
    });
  });
