// The username plugin (better-auth 1.7.25 plugins/username; group username): sign-up and
// update-user with username and displayUsername, their normalisation and checks in upstream's
// order, sign-in/username, is-username-available, through the official usernameClient.
import { PASSWORD } from "../lib/steps.mjs";
import { mailTo } from "../lib/mail-steps.mjs";
import { takeoverScenarios } from "../lib/username-scenarios.mjs";

const group = (scenario) => ({ group: "username", ...scenario });
const signUpBody = (t, local, extra = {}) => ({ name: "Alice", email: t.email(local), password: PASSWORD, ...extra });
const post = (t, b, path, json) => (b ?? t).request("POST", path, { json }).then((r) => ({ status: r.status, data: r.data }));

export default [
  group({
    name: "username: sign-up with a username, then sign in with it in any case",
    async run(t) {
      const b = t.browser();
      await t.call("signUp", b.client.signUp.email(signUpBody(t, "alice", { username: "Alice_W" })));
      await t.call("getSession", b.client.getSession());
      await t.call("signIn.username", t.browser().client.signIn.username({ username: "ALICE_w", password: PASSWORD }));
      await t.call("signIn.username with callbackURL", t.browser().client.signIn.username({ username: "alice_w", password: PASSWORD, callbackURL: "/home", rememberMe: false }));
      await t.call("signIn.username wrong password", t.browser().client.signIn.username({ username: "alice_w", password: "wrong-password" }));
      await t.call("signIn.username unknown", t.browser().client.signIn.username({ username: "nobody_here", password: PASSWORD }));
      await t.call("signIn.email still works", t.browser().client.signIn.email({ email: t.email("alice"), password: PASSWORD }));
    },
  }),
  group({
    name: "username: displayUsername alone, a display name that is no username, and neither",
    async run(t) {
      await t.call("displayUsername only (a valid username)", t.browser().client.signUp.email(signUpBody(t, "bob", { displayUsername: "Bob.B" })));
      await t.call("displayUsername only (not a username)", t.browser().client.signUp.email(signUpBody(t, "carol", { displayUsername: "Carol C" })));
      await t.call("both", t.browser().client.signUp.email(signUpBody(t, "dave", { username: "dave", displayUsername: "Dave D" })));
      await t.call("neither", t.browser().client.signUp.email(signUpBody(t, "erin")));
      await t.call("username null", t.browser().client.signUp.email(signUpBody(t, "frank", { username: null })));
    },
  }),
  group({
    name: "username: sign-up refusals (taken in any case, too short, too long, invalid characters, empty)",
    async run(t) {
      await t.call("signUp", t.browser().client.signUp.email(signUpBody(t, "alice", { username: "taken_name" })));
      for (const [label, username] of [["taken", "TAKEN_name"], ["too short", "ab"], ["too long", "a".repeat(31)], ["invalid", "with space"], ["empty", ""], ["unicode", "ädä"]]) {
        await t.call(`signUp ${label}`, t.browser().client.signUp.email(signUpBody(t, "bob", { username })));
      }
      // The username's checks come before the endpoint's own (a bad email here).
      await t.call("bad username and bad email", t.request("POST", "/sign-up/email", { json: { name: "B", email: "not-an-email", password: PASSWORD, username: "x" } }).then((r) => ({ status: r.status, data: r.data })));
    },
  }),
  group({
    name: "username: sign-in/username refusals (form, length, empty fields, missing fields)",
    async run(t) {
      for (const [label, body] of [
        ["invalid characters", { username: "a b", password: PASSWORD }],
        ["too short", { username: "ab", password: PASSWORD }],
        ["too long", { username: "b".repeat(31), password: PASSWORD }],
        ["empty username", { username: "", password: PASSWORD }],
        ["empty password", { username: "someone", password: "" }],
        ["password too long", { username: "someone", password: "p".repeat(200) }],
        ["no password", { username: "someone" }],
        ["username a number", { username: 12345, password: PASSWORD }],
      ]) {
        await t.call(label, post(t, null, "/sign-in/username", body));
      }
    },
  }),
  group({
    name: "username: is-username-available",
    async run(t) {
      await t.call("signUp", t.browser().client.signUp.email(signUpBody(t, "alice", { username: "present" })));
      const c = t.browser().client;
      await t.call("taken, other case", c.isUsernameAvailable({ username: "PRESENT" }));
      await t.call("free", c.isUsernameAvailable({ username: "absent_one" }));
      await t.call("too short", c.isUsernameAvailable({ username: "ab" }));
      await t.call("invalid", c.isUsernameAvailable({ username: "a b" }));
      await t.call("empty", post(t, null, "/is-username-available", { username: "" }));
      await t.call("missing", post(t, null, "/is-username-available", {}));
    },
  }),
  group({
    name: "username: update-user sets, keeps and refuses usernames",
    async run(t) {
      await t.call("signUp other", t.browser().client.signUp.email(signUpBody(t, "alice", { username: "alice_u" })));
      const b = t.browser();
      await t.call("signUp", b.client.signUp.email(signUpBody(t, "bob")));
      await t.call("taken", b.client.updateUser({ username: "ALICE_U" }));
      await t.call("too short", b.client.updateUser({ username: "ab" }));
      await t.call("set", b.client.updateUser({ username: "Bob_U" }));
      await t.call("getSession", b.client.getSession());
      await t.call("own username again", b.client.updateUser({ username: "bob_u" }));
      await t.call("displayUsername only", b.client.updateUser({ displayUsername: "Bobby" }));
      await t.call("username null", b.client.updateUser({ username: null }));
      await t.call("getSession after", b.client.getSession());
      await t.call("signIn.username with the old one", t.browser().client.signIn.username({ username: "bob_u", password: PASSWORD }));
    },
  }),
  {
    name: "username (strict): sign-in/username of an unverified user sends the mail and answers 403",
    group: "username_strict",
    async run(t) {
      await t.call("signUp", t.browser().client.signUp.email(signUpBody(t, "alice", { username: "strict_one" })));
      await mailTo(t, t.email("alice"), "sign-up mail");
      await t.call("signIn.username unverified", t.browser().client.signIn.username({ username: "strict_one", password: PASSWORD }));
      await mailTo(t, t.email("alice"), "sign-in mail");
    },
  },
  ...takeoverScenarios(),
];
