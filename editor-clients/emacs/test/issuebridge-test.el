;;; issuebridge-test.el --- ERT tests against the real agent  -*- lexical-binding: t; -*-

;;; Commentary:

;; Run by test/run.sh: `emacs --batch' with ISSUEBRIDGE_TEST_PYTHON naming a Python
;; that has the project installed.  Each test starts the real agent
;; (`python -m agent --stdio') with storage of its own; all share one Jira simulator
;; (`python -m simulators jira-server --port 0') that the first test starts.  Tests
;; wait for events (answers, the browser coming back) with a bound, never for time.

;;; Code:

(require 'ert)
(require 'json)
(require 'url)
(require 'issuebridge)

(defvar issuebridge-test--python
  (or (getenv "ISSUEBRIDGE_TEST_PYTHON") (error "Set ISSUEBRIDGE_TEST_PYTHON")))

(defvar issuebridge-test--root
  (expand-file-name "../../.." (file-name-directory (or load-file-name buffer-file-name)))
  "The repository: `python -m agent' and `python -m simulators' run from here.")

(defvar issuebridge-test--sim nil "The simulator's process.")
(defvar issuebridge-test--base nil "The simulator's base URL.")

(defconst issuebridge-test--deadline 60
  "Seconds any awaited event may take before the test fails (a bound, not a timing).")

(defun issuebridge-test--wait (what predicate)
  "Wait until PREDICATE is non-nil (and return it); fail naming WHAT after the bound."
  (let ((end (+ (float-time) issuebridge-test--deadline)) value)
    (while (and (not (setq value (funcall predicate))) (< (float-time) end))
      (accept-process-output nil 0.05))
    (or value (ert-fail (format "Gave up waiting for %s" what)))))

;;;; The simulator and its admin API

(defun issuebridge-test--simulator ()
  "The shared simulator's base URL, starting it on first use."
  (unless (and issuebridge-test--sim (process-live-p issuebridge-test--sim))
    (let* ((default-directory issuebridge-test--root)
           (buffer (generate-new-buffer " *simulator*")))
      (setq issuebridge-test--sim
            (make-process :name "simulator" :buffer buffer :noquery t
                          :connection-type 'pipe
                          :command (list issuebridge-test--python "-m" "simulators"
                                         "jira-server" "--port" "0")
                          :stderr (get-buffer-create " *simulator stderr*")))
      ;; The first line on stdout is the base URL.
      (setq issuebridge-test--base
            (issuebridge-test--wait
             "the simulator's base URL"
             (lambda ()
               (with-current-buffer buffer
                 (goto-char (point-min))
                 (and (re-search-forward "^\\(http://127\\.0\\.0\\.1:[0-9]+[^\n]*\\)\n" nil t)
                      (match-string 1)))))))
    (add-hook 'kill-emacs-hook #'issuebridge-test--stop-simulator))
  issuebridge-test--base)

(defun issuebridge-test--stop-simulator ()
  (when (and issuebridge-test--sim (process-live-p issuebridge-test--sim))
    (interrupt-process issuebridge-test--sim)))

(defun issuebridge-test--http (method path &optional body token)
  "METHOD on the simulator's PATH with a JSON BODY; the parsed JSON answer.
TOKEN, a personal access token, authenticates it.  Fails unless 2xx."
  (let* ((url-request-method method)
         (url-proxy-services nil)
         (url-request-extra-headers
          (append '(("Content-Type" . "application/json"))
                  (and token `(("Authorization" . ,(concat "Bearer " token))))))
         (url-request-data (and body (encode-coding-string (json-serialize body) 'utf-8)))
         (buffer (url-retrieve-synchronously (concat (issuebridge-test--simulator) path)
                                             t t issuebridge-test--deadline)))
    (unwind-protect
        (with-current-buffer buffer
          (goto-char (point-min))
          (let ((status (and (looking-at "HTTP/[0-9.]+ \\([0-9]+\\)")
                             (string-to-number (match-string 1)))))
            (unless (and status (<= 200 status 299))
              (ert-fail (format "%s %s: %s" method path (buffer-string))))
            (re-search-forward "\r?\n\r?\n")
            (unless (eobp)
              (json-parse-string (decode-coding-string
                                  (buffer-substring-no-properties (point) (point-max)) 'utf-8)
                                 :object-type 'plist :null-object nil))))
      (kill-buffer buffer))))

(defun issuebridge-test--user (name)
  (cl-find name (issuebridge-test--http "GET" "/_sim/users")
           :key (lambda (u) (plist-get u :name)) :test #'equal))

(defun issuebridge-test--token (name) (plist-get (issuebridge-test--user name) :pat))

(defun issuebridge-test--open-keys (user)
  "The keys of USER's unresolved issues, as the simulator's REST API tells them.
Read in one page (the cap is 1000 here; the tests lower it afterwards)."
  (let ((result (issuebridge-test--http
                 "GET" (concat "/rest/api/2/search?maxResults=1000&fields=summary&jql="
                               (url-hexify-string
                                (format "assignee = %s AND resolution = Unresolved" user)))
                 nil (issuebridge-test--token user))))
    (should (= (plist-get result :total) (length (plist-get result :issues))))
    (sort (mapcar (lambda (i) (plist-get i :key)) (plist-get result :issues)) #'string<)))

(defmacro issuebridge-test--with-cap (cap &rest body)
  "Run BODY with the simulator's search page cap at CAP."
  (declare (indent 1))
  `(progn
     (issuebridge-test--http "PUT" "/_sim/cap" (list :maxResults ,cap))
     (unwind-protect (progn ,@body)
       (issuebridge-test--http "PUT" "/_sim/cap" (list :maxResults 1000)))))

;;;; An agent of each test's own

(defmacro issuebridge-test--with-agent (&rest body)
  "Run BODY with a fresh agent whose storage and home are temporary."
  (declare (indent 0))
  `(let* ((dir (make-temp-file "issuebridge-el-" t))
          (issuebridge-agent-command
           (list issuebridge-test--python "-m" "agent" "--stdio"))
          (issuebridge-agent-environment
           (list (concat "ISSUEBRIDGE_HOME=" (expand-file-name "storage" dir))
                 (concat "HOME=" (expand-file-name "home" dir))
                 ;; Never the OS keyring of whoever runs the tests.
                 "ISSUEBRIDGE_SECRET_STORE=file"
                 (concat "PYTHONPATH=" issuebridge-test--root)))
          (messages nil)
          (issuebridge-message-function (lambda (text) (push text messages))))
     (issuebridge-test--simulator)
     (unwind-protect (progn ,@body)
       (issuebridge-shutdown)
       (delete-directory dir t))))

(defun issuebridge-test--configure-token (user)
  (issuebridge-configure "jira-server" "token"
                         (list :baseUrl (issuebridge-test--simulator)
                               :token (issuebridge-test--token user))))

(defun issuebridge-test--listed-keys (buffer)
  (with-current-buffer buffer
    (sort (mapcar #'car tabulated-list-entries) #'string<)))

;;;; The tests

;; The agent offers several trackers; these tests connect to the Jira simulator.
(defconst issuebridge-test--tracker "Jira Server / Data Center")

(defun issuebridge-test--tracker-prompt-p (prompt)
  "Non-nil when PROMPT asks which tracker to connect to."
  (string-prefix-p "Tracker" prompt))

(ert-deftest issuebridge-token-lists-every-issue-past-the-cap ()
  "Configure with a token; `issuebridge-issues' lists every open issue of the user,
though the server answers at most 25 a page; RET opens one; g fetches again."
  (issuebridge-test--with-agent
    (let* ((changes 0)
           (issuebridge-providers-changed-hook (list (lambda () (cl-incf changes))))
           (expected (issuebridge-test--open-keys "alice"))
           (instance (issuebridge-test--configure-token "alice")))
      (should (> (length expected) 100))
      (should (equal (plist-get instance :state) "connected"))
      (should (equal (plist-get (plist-get instance :user) :name) "alice"))
      ;; The agent's providers/didChange reached the hook, with the new instance.
      (issuebridge-test--wait "providers/didChange" (lambda () (> changes 0)))
      (should (equal (plist-get (aref (plist-get (aref issuebridge--providers 0) :instances) 0)
                                :state)
                     "connected"))
      (issuebridge-test--with-cap 25
        (issuebridge-test--http "DELETE" "/_sim/requests")
        (let ((buffer (issuebridge-issues)))
          (should (equal (buffer-name buffer) "*issuebridge-issues*"))
          (should (equal (issuebridge-test--listed-keys buffer) expected))
          ;; It took the agent a page per 25 issues.
          (should (>= (cl-count-if (lambda (r) (string-suffix-p "/rest/api/2/search"
                                                                (plist-get r :path)))
                                   (issuebridge-test--http "GET" "/_sim/requests"))
                      (ceiling (length expected) 25.0)))
          (with-current-buffer buffer
            (should (derived-mode-p 'tabulated-list-mode))
            (should (equal (mapcar #'car tabulated-list-format)
                           '("Key" "Title" "Status" "Updated")))
            ;; The rows as shown: key, title, status, updated.
            (goto-char (point-min))
            (let* ((key (tabulated-list-get-id))
                   (issue (gethash key issuebridge--issues))
                   (line (buffer-substring-no-properties (line-beginning-position)
                                                         (line-end-position))))
              (should (string-match-p (regexp-quote key) line))
              (should (string-match-p (regexp-quote (plist-get (plist-get issue :status) :name))
                                      line))
              (let* ((opened nil)
                     (issuebridge-browse-url-function (lambda (url) (setq opened url))))
                (call-interactively (key-binding (kbd "RET")))
                (should (equal opened (concat (issuebridge-test--simulator) "/browse/" key)))))
            ;; g fetches again: a new issue of alice's appears.
            (let ((new (plist-get (aref (plist-get (issuebridge-test--http
                                                    "POST" "/_sim/issues"
                                                    (list :project "ISB" :summary "From Emacs"
                                                          :assignee "alice"))
                                                   :issues)
                                        0)
                                  :key)))
              (call-interactively (key-binding (kbd "g")))
              (should (member new (issuebridge-test--listed-keys buffer)))
              (should (equal (length (issuebridge-test--listed-keys buffer))
                             (1+ (length expected))))))))
      ;; $/progress of the fetch reached the echo area.
      (should (cl-some (lambda (m)
                         (string-match-p
                          "issuebridge: Fetching issues from .*: [0-9]+ of [0-9]+ issues ([0-9]+%)"
                          m))
                       messages)))))

(ert-deftest issuebridge-request-returns-plists-and-signals-agent-errors ()
  "`issuebridge-request' returns the result as a plist, and signals the agent's error."
  (issuebridge-test--with-agent
    (let ((providers (plist-get (issuebridge-request "issuebridge/providers/list") :providers)))
      (should (vectorp providers))
      (should (equal (plist-get (aref providers 0) :id) "jira-server")))
    (let ((err (should-error (issuebridge-request "issuebridge/issues/fetch"
                                                  '(:instanceId "nope"))
                             :type 'issuebridge-error)))
      (should (equal (issuebridge-error-code err) -32002))
      (should (string-match-p "no configured instance" (issuebridge-error-message err)))
      (should (equal (plist-get (issuebridge-error-data err) :action) "configure")))))

(ert-deftest issuebridge-providers-buffer-and-the-agents-messages ()
  "`issuebridge-providers' shows the trackers, their methods and the servers; the
agent's window/showMessage reaches the echo area."
  (issuebridge-test--with-agent
    ;; TLS verification off for the instance: the agent warns with window/showMessage.
    (issuebridge-request "issuebridge/providers/configure"
                         (list :providerId "jira-server" :authMethod "token"
                               :fields (list :baseUrl (issuebridge-test--simulator)
                                             :token (issuebridge-test--token "alice"))
                               :http '(:insecureSkipVerify t)))
    (issuebridge-test--wait
     "the agent's warning"
     (lambda () (cl-some (lambda (m) (string-match-p "\\`issuebridge: warning: .*verif" m))
                         messages)))
    (issuebridge-providers)
    (with-current-buffer "*issuebridge-providers*"
      (let ((text (buffer-string)))
        (should (string-prefix-p "Jira Server / Data Center (jira-server)\n" text))
        (should (string-match-p "^  Personal access token: " text))
        (should (string-match-p "^  OAuth 1\\.0a (Application Link): " text))
        (should (string-match-p (format "^  \\* %s  token, connected as Alice Anderson$"
                                        (regexp-quote (issuebridge-test--simulator)))
                                text))))))

(ert-deftest issuebridge-wrong-token-shows-the-agents-message ()
  "A wrong token: the command fails with the agent's message, hint and next step."
  (issuebridge-test--with-agent
    (let* ((fields (list :baseUrl (issuebridge-test--simulator) :token (make-string 44 ?x)))
           (agent-error (should-error (issuebridge-request
                                       "issuebridge/providers/configure"
                                       (list :providerId "jira-server" :authMethod "token"
                                             :fields fields))
                                      :type 'issuebridge-error))
           (shown (cadr (should-error (issuebridge-configure "jira-server" "token" fields)
                                      :type 'user-error))))
      (should (equal (issuebridge-error-code agent-error) -32001))
      (should (string-prefix-p (issuebridge-error-message agent-error) shown))
      (should (string-match-p (regexp-quote (plist-get (issuebridge-error-data agent-error) :hint))
                              shown))
      (should (string-match-p "next: M-x issuebridge-configure" shown))
      ;; Nothing was stored.
      (should (zerop (length (plist-get (aref (plist-get (issuebridge-request
                                                          "issuebridge/providers/list")
                                                         :providers)
                                              0)
                                        :instances)))))))

(ert-deftest issuebridge-configure-prompts-from-the-agents-form ()
  "The interactive configure asks for the form's fields (the secret with
`read-passwd') and asks again for a value the agent refuses, in its words."
  (issuebridge-test--with-agent
    (let* ((prompts nil)
           (urls (list "ftp://jira.example.com" (issuebridge-test--simulator)))
           (token (issuebridge-test--token "bob")))
      (cl-letf (((symbol-function 'completing-read)
                 (lambda (prompt table &rest _)
                   (if (issuebridge-test--tracker-prompt-p prompt)
                       issuebridge-test--tracker
                     (push prompt prompts)
                     (should (assoc "Personal access token" table))
                     "Personal access token")))
                ((symbol-function 'read-string)
                 (lambda (prompt &rest _) (push prompt prompts) (pop urls)))
                ((symbol-function 'read-passwd)
                 (lambda (prompt &rest _) (push prompt prompts) token)))
        (call-interactively #'issuebridge-configure))
      (setq prompts (nreverse prompts))
      (should (string-prefix-p "Sign in with" (nth 0 prompts)))
      (should (string-prefix-p "Jira base URL (The address you open Jira at" (nth 1 prompts)))
      (should (string-prefix-p "Personal access token" (nth 2 prompts)))
      ;; The agent refused ftp://: asked again, with its message, before anything stored.
      (should (string-match-p "http" (nth 3 prompts)))
      (should (string-match-p "Jira base URL: \\'" (nth 3 prompts)))
      (let ((instance (aref (plist-get (aref issuebridge--providers 0) :instances) 0)))
        (should (equal (plist-get instance :state) "connected"))
        (should (equal (plist-get (plist-get instance :user) :name) "bob")))
      (should (cl-some (lambda (m) (string-match-p "is connected as Bob" m)) messages))
      ;; The token is in no buffer of Emacs's (the JSON-RPC trace, the agent's log and
      ;; stderr included; the simulator's own output lists every token) nor in the
      ;; kill ring.
      (should-not (cl-remove-if-not
                   (lambda (buffer)
                     (with-current-buffer buffer
                       (save-excursion
                         (goto-char (point-min))
                         (search-forward token nil t))))
                   (remq (process-buffer issuebridge-test--sim) (buffer-list))))
      (should-not (member token kill-ring)))))

(ert-deftest issuebridge-oauth-authorizes-in-the-browser ()
  "OAuth 1.0a: a generated key, the simulator's consumer, auto-approve; the agent
has the authorize page opened, the browser comes back to its listener, connected."
  (issuebridge-test--with-agent
    (let* ((key (issuebridge-request "issuebridge/keys/generate" '(:bits 2048)))
           (consumer (format "emacs-%d" (emacs-pid)))
           (opened nil)
           (done nil)
           (issuebridge-browse-url-function
            ;; The browser: follows Jira's redirect back to the agent's listener.
            (lambda (url)
              (setq opened url)
              (let ((url-proxy-services nil))
                (url-retrieve url (lambda (&rest _) (kill-buffer)) nil t t)))))
      (issuebridge-test--http "POST" "/_sim/consumers"
                              (list :consumerKey consumer
                                    :publicKeyPem (plist-get key :publicKeyPem)))
      (issuebridge-test--http "PUT" "/_sim/auto-approve" '(:user "carol"))
      (unwind-protect
          (let* ((instance (issuebridge-configure
                            "jira-server" "oauth1"
                            (list :baseUrl (issuebridge-test--simulator) :consumerKey consumer
                                  :keyId (plist-get key :keyId))))
                 (id (plist-get instance :instanceId)))
            (should (equal (plist-get instance :state) "needsAuthorization"))
            (should (null (issuebridge-authorize id nil (lambda (result) (setq done result)))))
            (issuebridge-test--wait "the authorization" (lambda () done))
            (should (equal (plist-get done :state) "connected"))
            (should (equal (plist-get (plist-get done :user) :name) "carol"))
            (should (string-prefix-p (concat (issuebridge-test--simulator)
                                             "/plugins/servlet/oauth/authorize?oauth_token=")
                                     opened))
            (should (cl-some (lambda (m) (string-match-p "connected to .* as Carol" m))
                             messages))
            ;; The OAuth instance fetches carol's issues.
            (should (equal (issuebridge-test--listed-keys (issuebridge-issues nil id))
                           (issuebridge-test--open-keys "carol"))))
        (issuebridge-test--http "PUT" "/_sim/auto-approve" '(:user nil))))))

(ert-deftest issuebridge-oauth-configured-interactively ()
  "The whole OAuth 1.0a path as a user takes it: the form, a key generated at the key
prompt and added to Jira meanwhile, then \"Allow access in the browser now?\"."
  (issuebridge-test--with-agent
    (let* ((consumer (format "emacs-ask-%d" (emacs-pid)))
           (asked nil)
           (issuebridge-browse-url-function
            (lambda (url)
              (let ((url-proxy-services nil))
                (url-retrieve url (lambda (&rest _) (kill-buffer)) nil t t)))))
      (issuebridge-test--http "PUT" "/_sim/auto-approve" '(:user "alice"))
      (unwind-protect
          (progn
            (cl-letf (((symbol-function 'completing-read)
                       (lambda (prompt &rest _)
                         (cond ((issuebridge-test--tracker-prompt-p prompt)
                                issuebridge-test--tracker)
                               ((progn (push prompt asked)
                                       (string-prefix-p "Sign in with" prompt))
                                "OAuth 1.0a (Application Link)")
                               (t "generate a new key pair"))))
                      ((symbol-function 'read-string)
                       (lambda (prompt &rest _)
                         (push prompt asked)
                         (if (string-prefix-p "Jira base URL" prompt)
                             (issuebridge-test--simulator)
                           consumer)))
                      ((symbol-function 'read-file-name)
                       (lambda (&rest _) (ert-fail "A generated key leaves out the PEM")))
                      ((symbol-function 'y-or-n-p)
                       (lambda (prompt)
                         (push prompt asked)
                         (when (string-prefix-p "Is this public key" prompt)
                           ;; The admin adds the key shown to the Application Link.
                           (with-current-buffer issuebridge--public-key-buffer
                             (goto-char (point-min))
                             (should (re-search-forward "key id, .*\n.*: \\(key-[^ \n]+\\)"
                                                        nil t))
                             (should (search-forward "-----BEGIN PUBLIC KEY-----" nil t))
                             (issuebridge-test--http
                              "POST" "/_sim/consumers"
                              (list :consumerKey consumer
                                    :publicKeyPem (buffer-substring (match-beginning 0)
                                                                    (point-max))))))
                         t)))
              (call-interactively #'issuebridge-configure))
            (should (equal (mapcar (lambda (prompt) (car (split-string prompt "[ (]")))
                                   (nreverse asked))
                           '("Sign" "Jira" "Consumer" "Generated" "Is" "Allow")))
            (should (cl-some (lambda (m) (string-match-p "is configured; allow access" m))
                             messages))
            ;; The browser comes back: the authorization's answer says so, and the
            ;; agent's providers/didChange (in whichever order they come).
            (issuebridge-test--wait
             "the authorization's answer and providers/didChange"
             (lambda ()
               (and (cl-some (lambda (m) (string-match-p "connected to .* as Alice" m))
                             messages)
                    (equal (plist-get (aref (plist-get (aref issuebridge--providers 0)
                                                       :instances)
                                            0)
                                      :state)
                           "connected")))))
        (issuebridge-test--http "PUT" "/_sim/auto-approve" '(:user nil))))))

(ert-deftest issuebridge-oauth-browser-that-cannot-come-back ()
  "The browser on another machine (SSH): Jira's redirect to 127.0.0.1 leads nowhere;
the address it shows, pasted into `issuebridge-complete-authorization', finishes the
authorization that waits."
  (issuebridge-test--with-agent
    (let* ((key (issuebridge-request "issuebridge/keys/generate" '(:bits 2048)))
           (consumer (format "emacs-ssh-%d" (emacs-pid)))
           (opened nil)
           (done nil)
           (issuebridge-browse-url-function (lambda (url) (setq opened url))))
      (issuebridge-test--http "POST" "/_sim/consumers"
                              (list :consumerKey consumer
                                    :publicKeyPem (plist-get key :publicKeyPem)))
      (issuebridge-test--http "PUT" "/_sim/auto-approve" '(:user "dave"))
      (unwind-protect
          (let ((id (plist-get (issuebridge-configure
                                "jira-server" "oauth1"
                                (list :baseUrl (issuebridge-test--simulator)
                                      :consumerKey consumer :keyId (plist-get key :keyId)))
                               :instanceId)))
            (issuebridge-authorize id nil (lambda (result) (setq done result)))
            (issuebridge-test--wait "the authorize page to open" (lambda () opened))
            ;; The remote browser: Jira answers with its redirect, which is not followed.
            (let* ((address (issuebridge-test--redirect-target opened)))
              (should (string-match-p "\\`http://127\\.0\\.0\\.1:[0-9]+/.*oauth_verifier="
                                      address))
              (should (equal issuebridge--pending-authorization id))
              (let ((instance (cl-letf (((symbol-function 'read-string)
                                         (lambda (&rest _) address)))
                                (call-interactively #'issuebridge-complete-authorization))))
                (should (equal (plist-get instance :state) "connected"))
                (should (equal (plist-get (plist-get instance :user) :name) "dave"))))
            ;; The waiting authorize is answered too.
            (issuebridge-test--wait "the loopback answer" (lambda () done))
            (should (equal (plist-get done :state) "connected")))
        (issuebridge-test--http "PUT" "/_sim/auto-approve" '(:user nil))))))

(ert-deftest issuebridge-oauth-when-no-browser-starts ()
  "The browser cannot be started: Emacs answers window/showDocument with false, the
agent answers with the address instead, and Emacs asks for the code."
  (issuebridge-test--with-agent
    (let* ((key (issuebridge-request "issuebridge/keys/generate" '(:bits 2048)))
           (consumer (format "emacs-nobrowser-%d" (emacs-pid)))
           (done nil)
           (issuebridge-browse-url-function
            (lambda (_) (error "No usable browser found"))))
      (issuebridge-test--http "POST" "/_sim/consumers"
                              (list :consumerKey consumer
                                    :publicKeyPem (plist-get key :publicKeyPem)))
      (issuebridge-test--http "PUT" "/_sim/auto-approve" '(:user "bob"))
      (unwind-protect
          (let ((id (plist-get (issuebridge-configure
                                "jira-server" "oauth1"
                                (list :baseUrl (issuebridge-test--simulator)
                                      :consumerKey consumer :keyId (plist-get key :keyId)))
                               :instanceId)))
            (cl-letf (((symbol-function 'read-string)
                       (lambda (prompt &rest _)
                         (should (string-match-p "code or the address" prompt))
                         (issuebridge-test--verification-code (current-kill 0)))))
              (issuebridge-authorize id nil (lambda (result) (setq done result)))
              (issuebridge-test--wait "the authorization by code" (lambda () done)))
            (should (equal (plist-get done :state) "connected"))
            (should (cl-some (lambda (m) (string-match-p "could not open .*No usable browser" m))
                             messages)))
        (issuebridge-test--http "PUT" "/_sim/auto-approve" '(:user nil))))))

(defun issuebridge-test--redirect-target (url)
  "Where the answer to URL redirects, without following it."
  (let* ((url-proxy-services nil)
         (url-max-redirections 0)
         (buffer (url-retrieve-synchronously url t t issuebridge-test--deadline)))
    (unwind-protect
        (with-current-buffer buffer
          (goto-char (point-min))
          (should (looking-at "HTTP/[0-9.]+ 30[237]"))
          (should (re-search-forward "^Location: \\(.*?\\)\r?$" nil t))
          (match-string 1))
      (kill-buffer buffer))))

(defun issuebridge-test--free-port ()
  "A port on 127.0.0.1 that nothing listens on now."
  (let* ((server (make-network-process :name "free-port" :server t :host "127.0.0.1"
                                       :service t :family 'ipv4))
         (port (process-contact server :service)))
    (delete-process server)
    port))

(ert-deftest issuebridge-oauth2-needs-no-client-code ()
  "OAuth 2.0 (Jira DC 8.22+) through the same commands, its form from the agent:
an incoming link registered in the simulator, the form answered by field, the
browser auto-approved.  Skipped while the agent offers no `oauth2'."
  (issuebridge-test--with-agent
    (let* ((method (cl-find "oauth2"
                            (plist-get (aref (plist-get (issuebridge-request
                                                         "issuebridge/providers/list")
                                                        :providers)
                                             0)
                                       :authMethods)
                            :key (lambda (m) (plist-get m :id)) :test #'equal))
           (redirect (format "http://127.0.0.1:%d/callback" (issuebridge-test--free-port)))
           (issuebridge-browse-url-function
            (lambda (url)
              (let ((url-proxy-services nil))
                (url-retrieve url (lambda (&rest _) (kill-buffer)) nil t t)))))
      (unless method (ert-skip "The agent offers no oauth2 method yet"))
      (let* ((link (issuebridge-test--http "POST" "/_sim/oauth2/clients"
                                           (list :redirectUri redirect)))
             (answers `(("baseUrl" . ,(issuebridge-test--simulator))
                        ("clientId" . ,(plist-get link :clientId))
                        ("clientSecret" . ,(plist-get link :clientSecret))
                        ("redirectUri" . ,redirect)))
             (answer (lambda (prompt initial)
                       ;; The field whose label the prompt starts with; its default
                       ;; (the initial input) where the test has no answer.
                       (let ((field (cl-find-if (lambda (f) (string-prefix-p (plist-get f :label)
                                                                             prompt))
                                                (plist-get method :fields))))
                         (or (cdr (assoc (plist-get field :name) answers)) initial)))))
        (issuebridge-test--http "PUT" "/_sim/auto-approve" '(:user "alice"))
        (unwind-protect
            (progn
              (cl-letf (((symbol-function 'completing-read)
                         (lambda (prompt table &rest _)
                           (if (issuebridge-test--tracker-prompt-p prompt)
                               issuebridge-test--tracker
                             (car (rassoc method table)))))
                        ((symbol-function 'read-string)
                         (lambda (prompt &optional initial &rest _)
                           (funcall answer prompt initial)))
                        ((symbol-function 'read-passwd)
                         (lambda (prompt &rest _) (funcall answer prompt nil)))
                        ((symbol-function 'y-or-n-p) (lambda (_) t)))
                (call-interactively #'issuebridge-configure))
              (issuebridge-test--wait
               "the OAuth 2.0 authorization"
               (lambda () (cl-some (lambda (m) (string-match-p "connected to .* as Alice" m))
                                   messages)))
              (let ((instance (aref (plist-get (aref (issuebridge--refresh-providers) 0)
                                               :instances)
                                    0)))
                (should (equal (plist-get instance :authMethod) "oauth2"))
                (should (equal (issuebridge-test--listed-keys
                                (issuebridge-issues nil (plist-get instance :instanceId)))
                               (issuebridge-test--open-keys "alice")))))
          (issuebridge-test--http "PUT" "/_sim/auto-approve" '(:user nil)))))))

(ert-deftest issuebridge-oauth-by-pasting-the-code ()
  "OAuth 1.0a with \\[universal-argument]: no listener; the address is shown, the code Jira
shows is pasted, connected."
  (issuebridge-test--with-agent
    (let* ((key (issuebridge-request "issuebridge/keys/generate" '(:bits 2048)))
           (consumer (format "emacs-oob-%d" (emacs-pid)))
           (opened 0)
           (issuebridge-browse-url-function (lambda (_) (cl-incf opened))))
      (issuebridge-test--http "POST" "/_sim/consumers"
                              (list :consumerKey consumer
                                    :publicKeyPem (plist-get key :publicKeyPem)))
      (issuebridge-test--http "PUT" "/_sim/auto-approve" '(:user "zoe"))
      (unwind-protect
          (let* ((id (plist-get (issuebridge-configure
                                 "jira-server" "oauth1"
                                 (list :baseUrl (issuebridge-test--simulator)
                                       :consumerKey consumer :keyId (plist-get key :keyId)))
                                :instanceId))
                 (prompt nil)
                 (instance
                  (cl-letf (((symbol-function 'read-string)
                             (lambda (text &rest _)
                               (setq prompt text)
                               ;; The user opens the address from the kill ring; Jira
                               ;; shows the code.
                               (issuebridge-test--verification-code (current-kill 0)))))
                    (let ((current-prefix-arg '(4)))
                      (call-interactively #'issuebridge-authorize)))))
            (should (string-match-p "code or the address" prompt))
            (should (zerop opened))
            (should (equal (plist-get instance :state) "connected"))
            (should (equal (plist-get (plist-get instance :user) :name) "zoe")))
        (issuebridge-test--http "PUT" "/_sim/auto-approve" '(:user nil))))))

(defun issuebridge-test--verification-code (url)
  "The code the page at URL shows, as a user reads it off Jira's page."
  (let* ((url-proxy-services nil)
         (buffer (url-retrieve-synchronously url t t issuebridge-test--deadline)))
    (unwind-protect
        (with-current-buffer buffer
          (goto-char (point-min))
          (should (re-search-forward "verification code is '\\(?:<[^>]+>\\)*\\([^<']+\\)" nil t))
          (match-string 1))
      (kill-buffer buffer))))

(ert-deftest issuebridge-issue-view-comments-and-transitions ()
  "v shows an issue with its comments; c comments, t moves it along; the list follows."
  (issuebridge-test--with-agent
    (let* ((key (plist-get (aref (plist-get (issuebridge-test--http
                                             "POST" "/_sim/issues"
                                             (list :project "OPS" :summary "Printer on fire"
                                                   :assignee "bob" :status "Open"
                                                   :description "Smoke from tray 2."))
                                            :issues)
                                 0)
                           :key))
           (bob (plist-get (issuebridge-test--user "bob") :displayName))
           (instance (issuebridge-test--configure-token "bob"))
           (list-buffer (issuebridge-issues nil (plist-get instance :instanceId)))
           (view nil))
      (with-current-buffer list-buffer
        (goto-char (point-min))
        (while (not (equal (tabulated-list-get-id) key)) (forward-line 1))
        (setq view (call-interactively (key-binding (kbd "v")))))
      (should (equal (buffer-name view) (format "*issuebridge %s*" key)))
      (with-current-buffer view
        (should (string-prefix-p (concat key "  Printer on fire\n") (buffer-string)))
        (should (string-match-p "^Status: Open " (buffer-string)))
        (should (string-match-p "^Smoke from tray 2\\.$" (buffer-string)))
        (should (string-match-p "^Comments (0)$" (buffer-string)))
        (cl-letf (((symbol-function 'read-string) (lambda (&rest _) "Ünïcode, and 🚀")))
          (call-interactively (key-binding (kbd "c"))))
        (should (string-match-p "^Comments (1)$" (buffer-string)))
        (should (string-match-p (format "^-- %s, [0-9]\\{4\\}-.*\nÜnïcode, and 🚀$"
                                        (regexp-quote bob))
                                (buffer-string)))
        (cl-letf (((symbol-function 'completing-read)
                   (lambda (_prompt table &rest _)
                     (should (assoc "Start Progress (to In Progress)" table))
                     "Start Progress (to In Progress)")))
          (call-interactively (key-binding (kbd "t"))))
        (should (string-match-p "^Status: In Progress " (buffer-string))))
      (with-current-buffer list-buffer
        (should (equal (aref (cadr (assoc key tabulated-list-entries)) 2) "In Progress"))))))

(ert-deftest issuebridge-start-work-checks-out-the-branch ()
  "Start work from the list: assigned, in progress, on the suggested git branch."
  (issuebridge-test--with-agent
    (let* ((repo (make-temp-file "issuebridge-repo-" t))
           (created (plist-get (aref (plist-get (issuebridge-test--http
                                                 "POST" "/_sim/issues"
                                                 (list :project "WEB" :summary "Fix the café menu"
                                                       :assignee "dave" :status "To Do"))
                                                :issues)
                                     0)
                               :key))
           (instance (issuebridge-test--configure-token "dave"))
           (issuebridge-start-work-checkout t))
      (unwind-protect
          (let ((default-directory (file-name-as-directory repo)))
            (call-process "git" nil nil nil "init" "-q")
            (call-process "git" nil nil nil "-c" "user.name=t" "-c" "user.email=t@example.com"
                          "commit" "-q" "--allow-empty" "-m" "init")
            (with-current-buffer (issuebridge-issues nil (plist-get instance :instanceId))
              (goto-char (point-min))
              (while (not (equal (tabulated-list-get-id) created)) (forward-line 1))
              (let* ((default-directory (file-name-as-directory repo))
                     (result (call-interactively #'issuebridge-start-work))
                     (branch (plist-get result :branchName)))
                (should (equal branch (concat created "-fix-the-cafe-menu")))
                (should (equal (plist-get (plist-get (plist-get result :issue) :status) :category)
                               "inProgress"))
                (should (equal (string-trim (shell-command-to-string
                                             "git rev-parse --abbrev-ref HEAD"))
                               branch))
                ;; The list shows the new status.
                (should (string-match-p "In Progress"
                                        (buffer-substring (line-beginning-position)
                                                          (line-end-position))))
                ;; Jira agrees.
                (should (equal (plist-get
                                (plist-get (plist-get (issuebridge-test--http
                                                       "GET" (concat "/rest/api/2/issue/" created)
                                                       nil (issuebridge-test--token "dave"))
                                                      :fields)
                                           :status)
                                :name)
                               "In Progress")))))
        (delete-directory repo t)))))

(ert-deftest issuebridge-offline-shows-the-kept-list ()
  "The server goes away (a VPN drops): g shows the list as it was, saying so."
  (issuebridge-test--with-agent
    (let* ((instance (issuebridge-test--configure-token "bob"))
           (buffer (issuebridge-issues nil (plist-get instance :instanceId)))
           (before (issuebridge-test--listed-keys buffer)))
      (should before)
      (should (null (buffer-local-value 'header-line-format buffer)))
      (issuebridge-test--http "PUT" "/_sim/network" '(:down t))
      (unwind-protect
          (with-current-buffer buffer
            (call-interactively (key-binding (kbd "g")))
            (should (equal (issuebridge-test--listed-keys buffer) before))
            (should (string-match-p
                     "\\` Offline: the list as it was at [0-9-]\\{10\\} [0-9:]\\{5\\} ("
                     header-line-format)))
        (issuebridge-test--http "PUT" "/_sim/network" '(:down :false)))
      ;; Back online: g fetches afresh, the header goes.
      (with-current-buffer buffer
        (call-interactively (key-binding (kbd "g")))
        (should (null header-line-format))))))

(ert-deftest issuebridge-timeout-cancels-the-request-in-the-agent ()
  "A request Emacs stops waiting for is cancelled in the agent ($/cancelRequest)."
  (issuebridge-test--with-agent
    (let* ((issuebridge-events-buffer-size nil) ; the trace shows the agent's answer
           (instance (issuebridge-test--configure-token "carol")))
      (issuebridge-test--http "PUT" "/_sim/faults"
                              '(:slowResponse (:seconds 20 :times 1) :match "/search"))
      (unwind-protect
          (let ((err (should-error (issuebridge-request
                                    "issuebridge/issues/fetch"
                                    (list :instanceId (plist-get instance :instanceId))
                                    :timeout 1)
                                   :type 'issuebridge-error)))
            (should (string-match-p "did not answer issuebridge/issues/fetch within 1 seconds"
                                    (issuebridge-error-message err)))
            ;; The agent answers the cancelled request with -32800, long before the
            ;; simulator would have.
            (issuebridge-test--wait
             "the agent's -32800"
             (lambda ()
               (with-current-buffer (jsonrpc-events-buffer issuebridge--connection)
                 (save-excursion
                   (goto-char (point-min))
                   (search-forward ":code -32800" nil t)))))
            ;; And the connection goes on.
            (should (issuebridge-request "issuebridge/providers/list")))
        (issuebridge-test--http "DELETE" "/_sim/faults")))))

(ert-deftest issuebridge-agent-killed-mid-request-is-started-again ()
  "The agent dies while a request waits: the request fails saying so, and the next
one starts a new agent that knows the configuration."
  (issuebridge-test--with-agent
    (let* ((instance (issuebridge-test--configure-token "alice"))
           (process (jsonrpc--process issuebridge--connection)))
      (issuebridge-test--http "PUT" "/_sim/faults"
                              '(:slowResponse (:seconds 20 :times 1) :match "/search"))
      (unwind-protect
          ;; Killed once the agent reports the fetch under way (the simulator holds
          ;; its search 20 s).
          (let* ((issuebridge-message-function
                  (lambda (text)
                    (when (string-match-p "Fetching issues" text)
                      (signal-process process 'SIGKILL))))
                 (err (should-error (issuebridge-request
                                     "issuebridge/issues/fetch"
                                     (list :instanceId (plist-get instance :instanceId)
                                           :workDoneToken "kill-me"))
                                    :type 'issuebridge-error)))
            (should (string-match-p "The agent stopped" (issuebridge-error-message err))))
        (issuebridge-test--http "DELETE" "/_sim/faults"))
      (should (null issuebridge--connection))
      (let ((providers (plist-get (issuebridge-request "issuebridge/providers/list") :providers)))
        (should-not (eq (jsonrpc--process issuebridge--connection) process))
        (should (equal (plist-get (aref (plist-get (aref providers 0) :instances) 0) :state)
                       "connected"))))))

(ert-deftest issuebridge-times-are-local ()
  "The list shows the agent's ISO 8601 times in the local time zone."
  (let ((process-environment (cons "TZ=UTC+02" process-environment)))
    (set-time-zone-rule "UTC+02")
    (unwind-protect
        (progn
          (should (equal (issuebridge--updated "2024-03-05T14:22:01Z") "2024-03-05 12:22"))
          (should (equal (issuebridge--updated "2024-03-05T14:22:01.000+0100")
                         "2024-03-05 11:22"))
          (should (equal (issuebridge--updated "not a time") "not a time")))
      (set-time-zone-rule nil))))

(ert-deftest issuebridge-configure-names-the-guide ()
  "A method with a `guideUrl' (the admin's steps): configure names it first."
  (let* ((messages nil)
         (issuebridge-message-function (lambda (text) (push text messages)))
         (issuebridge--providers
          [(:id "jira-server"
                :authMethods [(:id "oauth2" :label "OAuth 2.0" :fields []
                                   :guideUrl
                                   "file:///opt/issuebridge/docs/jira-server-oauth2.md")])])
         (sent nil))
    (cl-letf (((symbol-function 'issuebridge-request)
               (lambda (method params &rest _)
                 (setq sent (list method params))
                 '(:instance (:baseUrl "https://jira.example.com" :state "needsAuthorization")))))
      (issuebridge-configure "jira-server" "oauth2"))
    (should (equal (car sent) "issuebridge/providers/configure"))
    (should (hash-table-p (plist-get (cadr sent) :fields))) ; {} for a form of no fields
    (should (member (concat "issuebridge: how to set up OAuth 2.0: "
                            "file:///opt/issuebridge/docs/jira-server-oauth2.md")
                    messages))))

(ert-deftest issuebridge-reconnect-starts-with-the-known-settings ()
  "Configuring a server again starts the prompts with its `Instance.settings'."
  (let* ((form '(:fields [(:name "baseUrl" :label "Jira base URL" :kind "url" :required t)
                          (:name "consumerKey" :label "Consumer key" :kind "text" :required t)
                          (:name "privateKey" :label "Private key" :kind "multilineSecret"
                                 :required t)]))
         (instances (list (list :instanceId "i1" :baseUrl "https://jira.example.com/jira"
                                :authMethod "oauth1" :settings '(:consumerKey "link-key")
                                :provider '(:id "jira-server"))))
         (initial nil)
         (pem (make-temp-file "key" nil ".pem" "PEM")))
    (unwind-protect
        (cl-letf (((symbol-function 'issuebridge--instances) (lambda () instances))
                  ((symbol-function 'read-string)
                   (lambda (prompt init &rest _)
                     (push init initial)
                     (if (string-prefix-p "Jira" prompt) "https://JIRA.example.com/jira/" init)))
                  ((symbol-function 'read-file-name) (lambda (&rest _) pem)))
          (should (equal (issuebridge--read-fields
                          form (apply-partially #'issuebridge--known-settings
                                                "jira-server" "oauth1"))
                         '(:baseUrl "https://JIRA.example.com/jira/" :consumerKey "link-key"
                                    :privateKey "PEM")))
          (should (equal (nreverse initial) '(nil "link-key"))))
      (delete-file pem))))

(ert-deftest issuebridge-missing-agent-is-explained ()
  "An agent command that does not exist: an error naming the setting to change."
  (let* ((issuebridge-agent-command '("/nonexistent/issuebridge-agent" "--stdio"))
         (err (should-error (issuebridge-request "issuebridge/providers/list")
                            :type 'issuebridge-error)))
    (should (string-match-p "issuebridge-agent-command" (issuebridge-error-message err)))
    (should (null issuebridge--connection))))

(ert-deftest issuebridge-agent-that-dies-is-explained ()
  "An agent that exits at once: an error naming its stderr buffer and the setting."
  (let* ((issuebridge-agent-command
          (list issuebridge-test--python "-c"
                "import sys; print('broken', file=sys.stderr); sys.exit(3)"))
         (err (should-error (issuebridge-request "issuebridge/providers/list")
                            :type 'issuebridge-error)))
    (should (string-match-p "did not start" (issuebridge-error-message err)))
    (should (string-match-p "issuebridge-agent-command" (issuebridge-error-message err)))
    (should (null issuebridge--connection))))

;;;; What a tracker lacks

(ert-deftest issuebridge-what-a-tracker-lacks-is-refused-before-the-call ()
  "A provider without Start Work, transitions or comments (a stubbed providers list):
the commands say \"<provider> does not support <what> through issuebridge\" and call
nothing; a provider that lists no capabilities (an older agent) supports all."
  (let* ((issuebridge--providers
          [(:id "few-tracker" :name "Few Tracker"
                :capabilities ["issuebridge/issues/get"]
                :instances [(:instanceId "few-1" :state "connected")])
           (:id "jira-server" :name "Jira Server"
                :instances [(:instanceId "jira-1" :state "connected")])])
         (sent nil))
    (should (equal (issuebridge--unsupported issuebridge--providers "few-1"
                                             "issuebridge/issues/startWork" "Start Work")
                   "Few Tracker does not support Start Work through issuebridge"))
    (should-not (issuebridge--unsupported issuebridge--providers "few-1"
                                          "issuebridge/issues/get" "reading issues"))
    (should-not (issuebridge--unsupported issuebridge--providers "jira-1"
                                          "issuebridge/issues/startWork" "Start Work"))
    (cl-letf (((symbol-function 'issuebridge-request)
               (lambda (method &rest _) (push method sent) nil)))
      (let ((err (should-error (issuebridge-start-work "FEW-1" "few-1") :type 'user-error)))
        (should (equal (cadr err) "Few Tracker does not support Start Work through issuebridge")))
      (with-temp-buffer
        (issuebridge-issue-mode)
        (setq issuebridge--instance-id "few-1" issuebridge--issue-key "FEW-1")
        (should (equal (cadr (should-error (issuebridge-comment "hi") :type 'user-error))
                       "Few Tracker does not support comments through issuebridge"))
        (should (equal (cadr (should-error (call-interactively #'issuebridge-transition)
                                           :type 'user-error))
                       "Few Tracker does not support transitions through issuebridge"))))
    (should (null sent))))

(provide 'issuebridge-test)
;;; issuebridge-test.el ends here
