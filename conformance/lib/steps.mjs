// Steps many scenarios share. They go through the official client and are recorded and
// compared like every other step.
export const PASSWORD = "password123";

// A new browser with a signed-up (and so signed-in) user. Returns { b, user, token }.
export async function signedUp(t, local = "alice", { name = "Alice", password = PASSWORD, ...extra } = {}) {
  const b = t.browser();
  const { data } = await t.call(`signUp ${local}`, b.client.signUp.email({ name, email: t.email(local), password, ...extra }));
  t.check(data?.token, `sign-up of ${local} returned a token`);
  return { b, user: data?.user, token: data?.token };
}

// A user signed up in a throw-away browser, then signed in from a new one.
export async function signedIn(t, local = "alice", signInOptions = {}) {
  await signedUp(t, local);
  const b = t.browser();
  const { data } = await t.call(`signIn ${local}`, b.client.signIn.email({ email: t.email(local), password: PASSWORD, ...signInOptions }));
  t.check(data?.token, `sign-in of ${local} returned a token`);
  return { b, user: data?.user, token: data?.token };
}
