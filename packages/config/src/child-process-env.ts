/**
 * The environment of a child process, as `spawn` takes it. Next's global types declare
 * `NODE_ENV` required on `NodeJS.ProcessEnv` in every program that includes them (the
 * root typecheck does, through the console's tests), but an environment built for a
 * child process may rightly lack it: the one cast that says so lives here.
 */
export function childProcessEnv(vars: Record<string, string | undefined>): NodeJS.ProcessEnv {
  // Unnecessary in a program without Next's globals, required in one with them.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
  return vars as NodeJS.ProcessEnv;
}
