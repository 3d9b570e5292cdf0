// Change of email: the three flows of /change-email and their links (PROTOCOL.md §2.7, §2.9).
import { follow, mailTo, mailUser, verifiedSignedIn } from "../lib/mail-steps.mjs";
import { PASSWORD, signedUp } from "../lib/steps.mjs";

export default [
  {
    name: "change-email: disabled by default",
    async run(t) {
      const { b } = await signedUp(t);
      await t.call("changeEmail", b.client.changeEmail({ newEmail: t.email("new") }));
    },
  },
  {
    name: "change-email: an unverified user verifies the new address",
    group: "mail",
    async run(t) {
      const { b } = await mailUser(t);
      await t.call("changeEmail", b.client.changeEmail({ newEmail: t.email("NEW"), callbackURL: "/changed" }));
      const mail = await mailTo(t, t.email("new"));
      await t.call("getSession before", b.client.getSession());
      await follow(t, b, mail.url);
      await t.call("getSession after", b.client.getSession());
      await t.call("signIn new address", t.browser().client.signIn.email({ email: t.email("new"), password: PASSWORD }));
    },
  },
  {
    name: "change-email: the link opened signed out",
    group: "mail",
    async run(t) {
      const { b } = await mailUser(t);
      await t.call("changeEmail", b.client.changeEmail({ newEmail: t.email("new") }));
      const mail = await mailTo(t, t.email("new"));
      await follow(t, t.browser(), mail.url);
    },
  },
  {
    name: "change-email: the link opened by another user",
    group: "mail",
    async run(t) {
      const { b } = await mailUser(t);
      const bob = await mailUser(t, "bob");
      await t.call("changeEmail", b.client.changeEmail({ newEmail: t.email("new") }));
      const mail = await mailTo(t, t.email("new"));
      await follow(t, bob.b, mail.url);
    },
  },
  {
    name: "change-email: a taken address looks the same",
    group: "mail",
    async run(t) {
      const { b } = await mailUser(t);
      await mailUser(t, "bob");
      await t.call("changeEmail", b.client.changeEmail({ newEmail: t.email("bob") }));
      await t.call("getSession", b.client.getSession());
    },
  },
  {
    name: "change-email: refusals",
    group: "mail",
    async run(t) {
      const { b } = await mailUser(t);
      await t.call("same", b.client.changeEmail({ newEmail: t.email("ALICE") }));
      for (const json of [{}, { newEmail: "nope" }, { newEmail: 1 }, { newEmail: t.email("x"), callbackURL: 2 }, []]) {
        await b.request("POST", "/change-email", { json });
      }
      await t.request("POST", "/change-email", { json: { newEmail: t.email("new") } });
    },
  },
  {
    name: "change-email: a verified user confirms with the current address",
    group: "mail_strict",
    async run(t) {
      const { b } = await verifiedSignedIn(t);
      await t.call("changeEmail", b.client.changeEmail({ newEmail: t.email("new") }));
      const confirm = await mailTo(t, t.email("alice"), "confirmation mail");
      await follow(t, b, confirm.url);
      const verify = await mailTo(t, t.email("new"), "verification mail");
      await t.call("getSession before", b.client.getSession());
      await follow(t, b, verify.url);
      await t.call("getSession after", b.client.getSession());
    },
  },
  {
    name: "change-email: an unverified user without verification changes at once",
    group: "mail_strict",
    async run(t) {
      const { b } = await verifiedSignedIn(t);
      await t.sql(`update "user" set "emailVerified" = false where "email" = $1`, [t.email("alice")]);
      await t.call("changeEmail", b.client.changeEmail({ newEmail: t.email("new") }));
      await mailTo(t, t.email("new"), "verification mail");
      await t.call("getSession", b.client.getSession({ query: { disableCookieCache: true } }));
    },
  },
];
