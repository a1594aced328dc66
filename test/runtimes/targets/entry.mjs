// A check that a runtime loaded the file we meant it to test (the packed ESM or CJS build, or src).
export const entryCheck = (outcome, suffix) => {
  const entry = String(outcome?.entry ?? "").replace(/\\/g, "/");
  const ok = entry.endsWith(`/${suffix}`);
  return { name: `loaded ${suffix}`, ok, ...(!ok && { error: `loaded ${entry || "nothing"}` }) };
};
