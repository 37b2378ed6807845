// The built executable, run by tests as a user runs it (after `npm run build`).
export const tsk8sBin = new URL('../../bin/tsk8s', import.meta.url).pathname;
