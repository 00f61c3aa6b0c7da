import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { AuthMethod, Field } from "../src/protocol";
import {
  authorizesInBrowser,
  collectFields,
  controlFor,
  controlForFailure,
  controlsFor,
  guideOf,
  initialValues,
  instanceActions,
  missingRequired,
  prefillFor,
  noteButtonFor,
  redirectToRegister,
  valuesAfterConnect,
} from "../src/webview/formModel";
import { toFailure } from "../src/errors";
import { instance, oauth2Method, oauthMethod, tokenMethod } from "./fixtures";

describe("form controls come from the fields alone", () => {
  test("each field kind gets its input, in the agent's order", () => {
    const controls = controlsFor(oauthMethod);
    assert.deepEqual(
      controls.map((c) => [c.name, c.input, c.secret]),
      [
        ["baseUrl", "url", false],
        ["consumerKey", "text", false],
        ["keyId", "keyRef", false],
        ["privateKey", "textarea", true],
      ],
    );
  });

  test("a secret is a password input, never trimmed", () => {
    const control = controlFor({ name: "token", label: "Token", kind: "secret", required: true });
    assert.equal(control.input, "password");
    assert.equal(control.secret, true);
    assert.equal(control.trim, false);
  });

  test("labels, help and required come through unchanged", () => {
    const [url] = controlsFor(tokenMethod);
    assert.equal(url?.label, "Jira base URL");
    assert.equal(url?.help, "The address you open Jira at.");
    assert.equal(url?.required, true);
  });

  test("an unknown future kind is treated as a secret (masked and cleared)", () => {
    const field = { name: "x", label: "X", kind: "somethingNew", required: false } as unknown as Field;
    const control = controlFor(field);
    assert.equal(control.input, "password");
    assert.equal(control.secret, true);
  });

  test("a provider with other fields renders other controls, no code change", () => {
    const method: AuthMethod = {
      id: "basic",
      label: "Basic",
      description: "",
      fields: [
        { name: "site", label: "Site", kind: "url", required: true },
        { name: "user", label: "User", kind: "text", required: true },
        { name: "password", label: "Password", kind: "secret", required: true },
      ],
    };
    assert.deepEqual(
      controlsFor(method).map((c) => c.input),
      ["url", "text", "password"],
    );
  });
});

describe("values to configure fields", () => {
  const controls = controlsFor(tokenMethod);

  test("required fields left empty are named by label", () => {
    assert.deepEqual(missingRequired(controls, { baseUrl: "  ", token: "" }), ["Jira base URL", "Personal access token"]);
    assert.deepEqual(missingRequired(controls, { baseUrl: "https://x", token: "t" }), []);
  });

  test("text is trimmed, secrets are kept as typed, empty values are left out", () => {
    const oauth = controlsFor(oauthMethod);
    assert.deepEqual(
      collectFields(oauth, { baseUrl: " https://jira.example.com/ ", consumerKey: "issuebridge", keyId: "", privateKey: "-----BEGIN-----\n" }),
      { baseUrl: "https://jira.example.com/", consumerKey: "issuebridge", privateKey: "-----BEGIN-----\n" },
    );
  });

  test("reconnecting prefills the base URL only (never a secret)", () => {
    assert.deepEqual(prefillFor(instance(), controls), { baseUrl: "https://jira.example.com/jira" });
  });
});

describe("OAuth 2.0: defaults, the redirect URI to register, Reconnect", () => {
  const controls = controlsFor(oauth2Method);

  test("a fresh form starts with the agent's defaults, and nothing else", () => {
    assert.deepEqual(initialValues(controls), { redirectUri: "http://127.0.0.1:43917/callback", scope: "WRITE" });
  });

  test("a secret never starts filled in, whatever default an agent sends", () => {
    const control = controlFor({ name: "clientSecret", label: "Secret", kind: "secret", required: true, default: "oops" });
    assert.equal(control.initial, undefined);
    const unknown = controlFor({ name: "x", label: "X", kind: "somethingNew", required: false, default: "oops" } as unknown as Field);
    assert.equal(unknown.initial, undefined);
  });

  test("kept defaults are sent as they are", () => {
    assert.deepEqual(
      collectFields(controls, { ...initialValues(controls), baseUrl: "https://jira.example.com", clientId: " abc ", clientSecret: "s3cret" }),
      {
        baseUrl: "https://jira.example.com",
        clientId: "abc",
        clientSecret: "s3cret",
        redirectUri: "http://127.0.0.1:43917/callback",
        scope: "WRITE",
      },
    );
  });

  test("the redirect URI to register is the form's value, else its default; none without such a field", () => {
    assert.equal(redirectToRegister(controls, {}), "http://127.0.0.1:43917/callback");
    assert.equal(redirectToRegister(controls, { redirectUri: " http://127.0.0.1:50123/cb " }), "http://127.0.0.1:50123/cb");
    assert.equal(redirectToRegister(controls, { redirectUri: "   " }), "http://127.0.0.1:43917/callback");
    assert.equal(redirectToRegister(controlsFor(tokenMethod), {}), undefined);
  });

  test("Reconnect fills in the base URL and Instance.settings over the defaults, never a secret", () => {
    const configured = instance({
      authMethod: "oauth2",
      state: "needsAuthorization",
      settings: { clientId: "c1d2", redirectUri: "http://127.0.0.1:50123/cb", scope: "READ", clientSecret: "leaked?" },
    });
    assert.deepEqual(prefillFor(configured, controls), {
      baseUrl: "https://jira.example.com/jira",
      clientId: "c1d2",
      redirectUri: "http://127.0.0.1:50123/cb",
      scope: "READ",
    });
  });

  test("Reconnect without settings (an older agent) keeps the defaults", () => {
    assert.deepEqual(prefillFor(instance({ authMethod: "oauth2" }), controls), {
      baseUrl: "https://jira.example.com/jira",
      redirectUri: "http://127.0.0.1:43917/callback",
      scope: "WRITE",
    });
  });

  test("an OAuth 1.0a Reconnect fills in the consumer key", () => {
    const configured = instance({ authMethod: "oauth1", settings: { consumerKey: "issuebridge" } });
    assert.deepEqual(prefillFor(configured, controlsFor(oauthMethod)), {
      baseUrl: "https://jira.example.com/jira",
      consumerKey: "issuebridge",
    });
  });

  test("after a successful Connect the form holds the defaults again", () => {
    const typed = { baseUrl: "https://jira.example.com", clientId: "abc", clientSecret: "s", redirectUri: "http://127.0.0.1:1/x", scope: "READ" };
    assert.deepEqual(valuesAfterConnect(typed, true, controls), initialValues(controls));
    assert.deepEqual(valuesAfterConnect(typed, false, controls), typed);
  });

  test("the guide link is offered for a file: URI only", () => {
    assert.equal(guideOf(oauth2Method), "file:///opt/issuebridge/docs/jira-server-oauth2.md");
    assert.equal(guideOf({ ...oauth2Method, guideUrl: "https://evil.example/guide" }), undefined);
    assert.equal(guideOf({ ...oauth2Method, guideUrl: "command:workbench.action.terminal.new" }), undefined);
    assert.equal(guideOf(tokenMethod), undefined);
    assert.equal(guideOf(undefined), undefined);
  });

  test("an OAuth 2.0 instance authorizes in the browser", () => {
    assert.deepEqual(instanceActions(instance({ authMethod: "oauth2", state: "needsAuthorization" }), oauth2Method), [
      "authorize",
      "share",
      "forget",
    ]);
  });
});

describe("instance actions", () => {
  test("browser authorization is what the agent says a method needs", () => {
    assert.equal(authorizesInBrowser(oauthMethod), true);
    assert.equal(authorizesInBrowser(tokenMethod), false);
    assert.equal(authorizesInBrowser(undefined), false);
  });

  test("a connected user instance can be shared, disconnected, forgotten", () => {
    assert.deepEqual(instanceActions(instance(), tokenMethod), ["share", "disconnect", "forget"]);
  });

  test("an OAuth instance waiting for authorization offers Authorize", () => {
    assert.deepEqual(
      instanceActions(instance({ authMethod: "oauth1", state: "needsAuthorization" }), oauthMethod),
      ["authorize", "share", "forget"],
    );
  });

  test("a disconnected token instance offers Reconnect (the token is typed again)", () => {
    assert.deepEqual(instanceActions(instance({ state: "needsAuthorization" }), tokenMethod), ["reconnect", "share", "forget"]);
  });

  test("a team instance whose key is still locked offers Unlock first", () => {
    assert.deepEqual(
      instanceActions(
        instance({ scope: "team", authMethod: "oauth1", state: "needsAuthorization", needsUnlock: true }),
        oauthMethod,
      ),
      ["unlock", "forget"],
    );
  });

  test("once unlocked, a team OAuth instance offers Authorize", () => {
    assert.deepEqual(
      instanceActions(instance({ scope: "team", authMethod: "oauth1", state: "needsAuthorization" }), oauthMethod),
      ["authorize", "forget"],
    );
  });

  test("a team instance on tokens: the teammate reconnects with their own token", () => {
    assert.deepEqual(instanceActions(instance({ scope: "team", state: "needsAuthorization" }), tokenMethod), ["reconnect", "forget"]);
  });
});

describe("after Connect", () => {
  test("a refused Connect keeps everything typed, the token too; a successful one empties the form", () => {
    const typed = { baseUrl: "https://jira.exmaple.com", token: "pasted-token" };
    assert.deepEqual(valuesAfterConnect(typed, false), typed);
    assert.deepEqual(valuesAfterConnect(typed, true), {});
  });

  test("the error is marked on the field it names (last segment of data.field)", () => {
    const controls = controlsFor(oauthMethod);
    const named = toFailure({ code: -32602, message: "Not a PEM", data: { kind: "invalidParams", field: "fields.privateKey" } });
    assert.equal(controlForFailure(controls, named)?.name, "privateKey");
    const unknown = toFailure({ code: -32602, message: "x", data: { kind: "invalidParams", field: "fields.nope" } });
    assert.equal(controlForFailure(controls, unknown), undefined);
  });

  test("without data.field: an unreachable or non-Jira server is the URL's fault, a rejected token the token's", () => {
    const token = controlsFor(tokenMethod);
    const unreachable = toFailure({ code: -32003, message: "Could not connect", data: { kind: "unreachable" } });
    assert.equal(controlForFailure(token, unreachable)?.name, "baseUrl");
    const notJira = toFailure({ code: -32005, message: "No Jira REST API answered", data: { kind: "unsupportedServer" } });
    assert.equal(controlForFailure(token, notJira)?.name, "baseUrl");
    const rejected = toFailure({ code: -32001, message: "Jira rejected the token", data: { kind: "authenticationFailed" } });
    assert.equal(controlForFailure(token, rejected)?.name, "token");
    // OAuth has no one credential field to blame.
    assert.equal(controlForFailure(controlsFor(oauthMethod), rejected), undefined);
    assert.equal(controlForFailure(token, toFailure({ code: -32004, message: "5xx", data: { kind: "remoteError" } })), undefined);
  });
});

describe("buttons for data.action on an instance's card", () => {
  test("a step the card does not offer gets its button", () => {
    assert.equal(noteButtonFor("retry", ["share", "disconnect", "forget"]), true);
    assert.equal(noteButtonFor("setCaBundle", ["reconnect", "forget"]), true);
    assert.equal(noteButtonFor("authorize", ["share", "disconnect", "forget"]), true);
  });

  test("a step the card already offers gets no second button", () => {
    assert.equal(noteButtonFor("authorize", ["authorize", "share", "forget"]), false);
    assert.equal(noteButtonFor("configure", ["reconnect", "forget"]), false);
    assert.equal(noteButtonFor("unlock", ["unlock", "forget"]), false);
    assert.equal(noteButtonFor(undefined, []), false);
  });
});
