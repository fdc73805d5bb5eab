/* Qamqor: signing with NCALayer (R-X-2). Plain ES2017, no build step, no CDN.
 *
 * The page gives its settings and translated messages in <script id="esign-config"
 * type="application/json"> (json_script): {mode: "login"|"sign", nonceUrl, devSignUrl, data,
 * locale, messages}. Without JavaScript the form still works: paste or upload the signature.
 *
 * NCALayer listens on wss://127.0.0.1:13579; module kz.gov.pki.knca.basics, method sign.
 */
(function () {
  "use strict";

  const NCALAYER_URL = "wss://127.0.0.1:13579";
  const EKU_CLIENT_AUTH = "1.3.6.1.5.5.7.3.2"; // logging in: the AUTH key
  const EKU_EMAIL_PROTECTION = "1.3.6.1.5.5.7.3.4"; // signing acts: the RSA/GOST signing key

  const configElement = document.getElementById("esign-config");
  const form = document.querySelector("[data-esign-form]");
  if (!configElement || !form) {
    return;
  }
  const config = JSON.parse(configElement.textContent);
  const messages = config.messages || {};
  const statusElement = form.querySelector("[data-esign-status]");
  const cmsField = form.querySelector("textarea[name=cms]");
  const nonceField = form.querySelector("input[name=nonce]");
  const csrfField = form.querySelector("input[name=csrfmiddlewaretoken]");

  function say(text, isError) {
    if (!statusElement) {
      return;
    }
    statusElement.textContent = text || "";
    statusElement.classList.toggle("field-error", Boolean(isError));
  }

  function interpolate(template, values) {
    return String(template).replace(/%\((\w+)\)s/g, function (_match, name) {
      return values[name] === undefined ? "" : String(values[name]);
    });
  }

  function base64OfText(text) {
    const bytes = new TextEncoder().encode(text);
    let binary = "";
    for (let i = 0; i < bytes.length; i += 1) {
      binary += String.fromCharCode(bytes[i]);
    }
    return btoa(binary);
  }

  async function freshNonce() {
    const response = await fetch(config.nonceUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfField.value, Accept: "application/json" },
    });
    if (!response.ok) {
      throw { kind: "nonce_failed" };
    }
    const body = await response.json();
    nonceField.value = body.nonce;
    const shown = document.querySelector("[data-esign-nonce-text]");
    if (shown) {
      shown.textContent = body.nonce;
    }
    return body.nonce;
  }

  function ncalayerSign(dataBase64, ekuOid, attached) {
    return new Promise(function (resolve, reject) {
      let socket;
      let settled = false;
      function finish(action, value) {
        if (!settled) {
          settled = true;
          action(value);
          try {
            socket.close();
          } catch (ignored) {
            /* already closed */
          }
        }
      }
      try {
        socket = new WebSocket(NCALAYER_URL);
      } catch (error) {
        reject({ kind: "not_running" });
        return;
      }
      socket.onopen = function () {
        socket.send(
          JSON.stringify({
            module: "kz.gov.pki.knca.basics",
            method: "sign",
            args: {
              allowedStorages: ["PKCS12", "AKKaztokenStore", "AKKZIDCardStore"],
              format: "cms",
              data: dataBase64,
              signingParams: {
                decode: true,
                encapsulate: attached,
                digested: false,
                tsaProfile: {},
              },
              signerParams: { extKeyUsageOids: [ekuOid] },
              locale: config.locale,
            },
          })
        );
      };
      socket.onmessage = function (event) {
        let reply;
        try {
          reply = JSON.parse(event.data);
        } catch (error) {
          return;
        }
        if (reply.status === undefined) {
          return; // the greeting with NCALayer's version
        }
        if (reply.status === true) {
          const result = reply.body && reply.body.result;
          finish(resolve, Array.isArray(result) ? result[0] : result);
        } else if (reply.code === "USER_CANCELED") {
          finish(reject, { kind: "canceled" });
        } else {
          finish(reject, { kind: "failed", reason: reply.message || reply.details || reply.code || "" });
        }
      };
      socket.onerror = function () {
        finish(reject, { kind: "not_running" });
      };
      socket.onclose = function () {
        finish(reject, { kind: "not_running" });
      };
    });
  }

  function explain(error) {
    const kind = error && error.kind;
    if (kind === "failed") {
      return interpolate(messages.failed, { reason: error.reason });
    }
    return messages[kind] || interpolate(messages.failed, { reason: String(error) });
  }

  function submitWith(cms) {
    cmsField.value = cms;
    say(messages.sending, false);
    form.submit();
  }

  async function signWithNcalayer(button) {
    button.disabled = true;
    try {
      say(messages.connecting, false);
      let data;
      if (config.mode === "login") {
        data = base64OfText(await freshNonce());
      } else {
        data = config.data;
      }
      say(messages.choose_key, false);
      const login = config.mode === "login";
      const cms = await ncalayerSign(data, login ? EKU_CLIENT_AUTH : EKU_EMAIL_PROTECTION, login);
      submitWith(cms);
    } catch (error) {
      say(explain(error), true);
      button.disabled = false;
    }
  }

  async function signWithDevSigner(button) {
    const select = document.querySelector("[data-esign-dev-user]");
    if (!select || !select.value) {
      say(messages.dev_choose_user, true);
      return;
    }
    button.disabled = true;
    try {
      const nonce = await freshNonce();
      const body = new FormData();
      body.append("user", select.value);
      const keyType = document.querySelector("[data-esign-dev-key-type]:checked");
      body.append("key_type", keyType ? keyType.value : "ecdsa");
      body.append("nonce", nonce);
      const response = await fetch(config.devSignUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfField.value, Accept: "application/json" },
        body: body,
      });
      if (!response.ok) {
        throw { kind: "failed", reason: String(response.status) };
      }
      const answer = await response.json();
      submitWith(answer.cms);
    } catch (error) {
      say(explain(error), true);
      button.disabled = false;
    }
  }

  const ncalayerBox = form.querySelector("[data-esign-ncalayer]");
  const signButton = form.querySelector("[data-esign-sign]");
  if (ncalayerBox && signButton && cmsField) {
    ncalayerBox.hidden = false;
    signButton.addEventListener("click", function () {
      signWithNcalayer(signButton);
    });
  }
  const devBox = document.querySelector("[data-esign-dev-box]");
  const devButton = document.querySelector("[data-esign-dev-sign]");
  if (devBox && devButton && config.devSignUrl && config.mode === "login" && nonceField) {
    devBox.hidden = false;
    devButton.addEventListener("click", function () {
      signWithDevSigner(devButton);
    });
  }
})();
