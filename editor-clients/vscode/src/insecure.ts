// How every view names an instance whose TLS verification is off
// (`Instance.insecure`, its `http.insecureSkipVerify`): the panel's badge and the
// Issues view's description and tooltip say the same words.

export const INSECURE_LABEL = "TLS verification off";

export const INSECURE_EXPLANATION =
  "Certificate checks are off for this server (insecureSkipVerify): anyone on the way can read and change what is sent, your credentials included. Reconnect it with a CA bundle (Advanced) and the box unticked to turn them back on.";
