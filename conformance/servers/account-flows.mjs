// The account-flow options of the Node reference server, read from the same variables the Go
// server's ConfigFromEnv reads (see the emitted config.go):
//
//   KERNIA_REQUIRE_EMAIL_VERIFICATION        emailAndPassword.requireEmailVerification
//   KERNIA_AUTO_SIGN_IN                      emailAndPassword.autoSignIn
//   KERNIA_REVOKE_SESSIONS_ON_PASSWORD_RESET emailAndPassword.revokeSessionsOnPasswordReset
//   KERNIA_SEND_VERIFICATION_ON_SIGN_UP      emailVerification.sendOnSignUp
//   KERNIA_SEND_VERIFICATION_ON_SIGN_IN      emailVerification.sendOnSignIn
//   KERNIA_AUTO_SIGN_IN_AFTER_VERIFICATION   emailVerification.autoSignInAfterVerification
//   KERNIA_CHANGE_EMAIL                      user.changeEmail.enabled
//   KERNIA_CHANGE_EMAIL_WITHOUT_VERIFICATION user.changeEmail.updateEmailWithoutVerification
//   KERNIA_CHANGE_EMAIL_CONFIRM_CURRENT      user.changeEmail.sendChangeEmailConfirmation
//   KERNIA_DELETE_USER                       user.deleteUser.enabled
//   KERNIA_DELETE_USER_VERIFICATION          user.deleteUser.sendDeleteAccountVerification
//
// `send` delivers one mail ({to, subject, text, html}), or is null when the group has no
// mail server: then, like the Go server without a Mailer, no send callback is configured
// and the mail flows answer that they are not enabled.
export function accountFlowOptions(env, send) {
  const on = (name) => env[name] === "true";
  // Each flow's mail carries its link in the text and the HTML, like the Go templates.
  const mailer = (kind) =>
    send &&
    // Better Auth passes the recipient as user.email: the new address for its verification.
    (async ({ user, url }) => {
      await send({ to: user.email, subject: kind, text: `${kind}\n\n${url}\n`, html: `<p><a href="${url}">${kind}</a></p>` });
    });
  const verification = mailer("verify-email");
  return {
    emailAndPassword: {
      enabled: true,
      requireEmailVerification: on("KERNIA_REQUIRE_EMAIL_VERIFICATION"),
      autoSignIn: env.KERNIA_AUTO_SIGN_IN !== "false",
      revokeSessionsOnPasswordReset: on("KERNIA_REVOKE_SESSIONS_ON_PASSWORD_RESET"),
      sendResetPassword: mailer("reset-password") || undefined,
    },
    emailVerification: {
      // Unset rather than false, so that requireEmailVerification implies it, as in Go.
      sendOnSignUp: on("KERNIA_SEND_VERIFICATION_ON_SIGN_UP") || undefined,
      sendOnSignIn: on("KERNIA_SEND_VERIFICATION_ON_SIGN_IN"),
      autoSignInAfterVerification: on("KERNIA_AUTO_SIGN_IN_AFTER_VERIFICATION"),
      sendVerificationEmail: verification || undefined,
    },
    user: {
      changeEmail: {
        enabled: on("KERNIA_CHANGE_EMAIL"),
        updateEmailWithoutVerification: on("KERNIA_CHANGE_EMAIL_WITHOUT_VERIFICATION"),
        sendChangeEmailConfirmation: (on("KERNIA_CHANGE_EMAIL_CONFIRM_CURRENT") && mailer("change-email-confirmation")) || undefined,
      },
      deleteUser: {
        enabled: on("KERNIA_DELETE_USER"),
        sendDeleteAccountVerification: (on("KERNIA_DELETE_USER_VERIFICATION") && mailer("delete-account")) || undefined,
      },
    },
  };
}
