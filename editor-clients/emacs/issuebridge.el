;;; issuebridge.el --- Jira issues through the issuebridge agent  -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "28.1"))
;; Keywords: tools, vc
;; URL: https://github.com/issuebridge/issuebridge

;;; Commentary:

;; A client of the issuebridge agent, the program that talks to Jira Server / Data
;; Center (and the other trackers it knows) on the editor's behalf.  The agent speaks
;; JSON-RPC 2.0 with LSP framing on stdin/stdout, which Emacs's built-in `jsonrpc.el'
;; (what eglot is built on) speaks too: the agent is a `jsonrpc-process-connection'
;; started on first use.
;;
;; Everything that describes a tracker comes from the agent: the configuration forms
;; (`issuebridge/providers/list'), the errors and what to do about them.  A new way
;; to sign in needs no code here.
;;
;; Commands:
;;   `issuebridge-providers'      the trackers, their forms and the configured servers
;;   `issuebridge-configure'      configure a server, prompting for the form's fields
;;   `issuebridge-authorize'      allow access in the browser (C-u: paste a code instead)
;;   `issuebridge-complete-authorization'  paste the code or address the browser shows
;;   `issuebridge-issues'         the issues in `*issuebridge-issues*' (RET opens, v shows,
;;                                g refreshes)
;;   `issuebridge-show-issue'     one issue with its comments (c comments, t transitions)
;;   `issuebridge-start-work'     assign to me, move to in progress, check out a branch
;;   `issuebridge-disconnect'     forget the credentials (C-u: the whole configuration)
;;   `issuebridge-shutdown'       stop the agent
;;
;; For Lisp: (issuebridge-request METHOD PARAMS) calls any method of the protocol
;; (docs/protocol.md) synchronously and returns its result as a plist; a failure
;; signals `issuebridge-error' with the agent's message, code and data.

;;; Code:

(require 'browse-url)
(require 'cl-lib)
(require 'iso8601)
(require 'jsonrpc)
(require 'seq)
(require 'subr-x)
(require 'tabulated-list)

(defgroup issuebridge nil
  "Jira issues through the issuebridge agent."
  :group 'tools
  :prefix "issuebridge-")

(defcustom issuebridge-agent-command '("issuebridge-agent" "--stdio")
  "The command that starts the agent: a program and its arguments.
E.g. (\"/path/to/issuebridge/.venv/bin/issuebridge-agent\" \"--stdio\") for the
agent installed in a checkout's venv."
  :type '(repeat string))

(defcustom issuebridge-agent-environment nil
  "Extra environment entries (\"NAME=value\") for the agent's process."
  :type '(repeat string))

(defcustom issuebridge-storage-dir nil
  "Where the agent keeps its configuration; nil for its default.
The default is the platform's user config directory, or $ISSUEBRIDGE_HOME."
  :type '(choice (const :tag "The agent's default" nil) directory))

(defcustom issuebridge-http nil
  "The agent's global network settings, a plist sent as `http'.
E.g. (:caBundle \"/etc/ssl/corp-ca.pem\" :timeoutSeconds 30
      :proxy \"http://proxy:3128\").  See docs/protocol.md, \"Settings\"."
  :type '(plist :key-type symbol :value-type sexp))

(defcustom issuebridge-request-timeout 330
  "Seconds to wait for the agent's answer to a request.
The agent bounds its own work (by default 300 seconds for an operation of many
requests), so this only matters when the agent hangs.  \\[keyboard-quit]
cancels a request at any time."
  :type 'number)

(defcustom issuebridge-authorize-timeout 660
  "Seconds to wait for a browser authorization.
The agent gives up after about 10 minutes, as Jira forgets unused
authorizations then."
  :type 'number)

(defcustom issuebridge-browse-url-function #'browse-url
  "Function of one argument, a URL, that opens it in the user's browser.
The agent asks for the authorize page with `window/showDocument'."
  :type 'function)

(defcustom issuebridge-fetch-limit 1000
  "The most issues `issuebridge-issues' lists (1 to 10000)."
  :type 'integer)

(defcustom issuebridge-start-work-checkout 'ask
  "Whether `issuebridge-start-work' checks out the suggested git branch.
`ask' asks when `default-directory' is in a git repository; t always does
there, nil never does."
  :type '(choice (const :tag "Ask" ask) (const :tag "Always" t) (const :tag "Never" nil)))

(defcustom issuebridge-events-buffer-size 0
  "Size of the `*issuebridge events*' buffer of JSON-RPC messages.
0 (the default) keeps none: the messages of a configuration carry secrets
\(tokens, keys), which must not stand in a buffer anyone may save.  nil keeps
all; only for debugging, and never with real credentials."
  :type '(choice (const :tag "Unlimited" nil) integer))

(define-error 'issuebridge-error "issuebridge")

(defvar issuebridge--connection nil "The running agent, a `jsonrpc-process-connection'.")
(defvar issuebridge--providers nil
  "The providers as the agent last described them (a vector of plists).")
(defvar issuebridge--progress (make-hash-table :test #'equal)
  "Titles of the agent's work-done progress, by token.")
(defvar issuebridge--token-counter 0)
(defvar issuebridge--pending-authorization nil
  "The instance id whose loopback authorization waits for the browser, or nil.")

(defvar issuebridge-providers-changed-hook nil
  "Run after the agent says the configuration or a connection changed.
`issuebridge--providers' holds the new description.")

(defvar issuebridge-message-function #'issuebridge--echo
  "Shows the agent's messages and progress: a function of one string.")

(defconst issuebridge--log-buffer "*issuebridge log*")

(defun issuebridge--echo (text)
  (message "%s" text))

(defun issuebridge--say (format-string &rest args)
  (funcall issuebridge-message-function (apply #'format format-string args)))

;;;; The connection

(defun issuebridge--empty-object ()
  "An empty JSON object: `json-serialize' turns nil into null, not {}."
  (make-hash-table))

(defun issuebridge--initialize-params ()
  (let ((options (append (and issuebridge-storage-dir
                              (list :storageDir (expand-file-name issuebridge-storage-dir)))
                         (and issuebridge-http (list :http issuebridge-http)))))
    (list :processId (emacs-pid)
          :clientInfo (list :name "issuebridge.el" :version "0.1.0")
          :rootUri nil
          :capabilities
          (list :window (list :showDocument (list :support t)
                              :workDoneProgress t)
                ;; issuebridge-keys.el applies the agent's edits and counts UTF-16.
                :workspace (list :applyEdit t)
                :general (list :positionEncodings ["utf-16"]))
          :initializationOptions (or options (issuebridge--empty-object)))))

(defun issuebridge--connection ()
  "The running agent; started (and initialized) when there is none."
  (if (and issuebridge--connection (jsonrpc-running-p issuebridge--connection))
      issuebridge--connection
    (issuebridge--start)))

(defun issuebridge--start ()
  (let* ((name "issuebridge")
         (command issuebridge-agent-command)
         ;; The agent outlives the buffer that started it: give it a directory that
         ;; stays.
         (default-directory (expand-file-name "~/"))
         (conn
          (condition-case err
              (progn
                (unless (executable-find (car command))
                  (signal 'file-missing (list "Searching for program" "No such file or directory"
                                              (car command))))
                (make-instance
                 'jsonrpc-process-connection
                 :name name
                 :events-buffer-scrollback-size issuebridge-events-buffer-size
                 :request-dispatcher #'issuebridge--handle-request
                 :notification-dispatcher #'issuebridge--handle-notification
                 :on-shutdown #'issuebridge--on-shutdown
                 :process
                 (lambda ()
                   (let* ((process-environment
                           (append issuebridge-agent-environment process-environment))
                          ;; jsonrpc.el expects exactly this buffer name for stderr.
                          (stderr (get-buffer-create (format "*%s stderr*" name)))
                          (process (make-process
                                    :name name :command command :connection-type 'pipe
                                    :coding 'utf-8-emacs-unix :noquery t :stderr stderr)))
                     ;; The pipe that carries stderr is a process too: leaving Emacs
                     ;; should not ask about it any more than about the agent.
                     (when-let ((pipe (get-buffer-process stderr)))
                       (set-process-query-on-exit-flag pipe nil))
                     process))))
            (file-error
             (signal 'issuebridge-error
                     (list (format "Cannot start the agent with %s: %s. Install the agent \
(pip install -e . in a checkout of issuebridge) or set `issuebridge-agent-command'."
                                   (string-join command " ")
                                   (error-message-string err))
                           nil nil))))))
    (setq issuebridge--connection conn)
    (condition-case err
        (progn
          (issuebridge--call conn 'initialize (issuebridge--initialize-params) 60)
          (jsonrpc-notify conn 'initialized (issuebridge--empty-object)))
      (error
       (let ((died (not (jsonrpc-running-p conn))))
         (ignore-errors (jsonrpc-shutdown conn))
         (setq issuebridge--connection nil)
         (when (and (eq (car err) 'issuebridge-error) (not died))
           (signal (car err) (cdr err))))
       ;; The process started but died (or never spoke): say where its words are.
       (signal 'issuebridge-error
               (list (format "The agent (%s) did not start: %s. Its output is in the \
buffer \" *%s stderr*\"; check `issuebridge-agent-command'."
                             (string-join command " ")
                             (if (eq (car err) 'issuebridge-error)
                                 (issuebridge-error-message err)
                               (error-message-string err))
                             name)
                     nil nil))))
    conn))

(defun issuebridge--on-shutdown (conn)
  (when (eq conn issuebridge--connection)
    (setq issuebridge--connection nil
          issuebridge--pending-authorization nil)))

(defun issuebridge-shutdown ()
  "Stop the agent (`shutdown', `exit'); the next command starts it again."
  (interactive)
  (when-let ((conn issuebridge--connection))
    (when (jsonrpc-running-p conn)
      (ignore-errors (issuebridge--call conn 'shutdown nil 10))
      (ignore-errors (jsonrpc-notify conn 'exit nil))
      ;; The agent ends within 2 seconds of `exit'; wait for the sentinel.
      (with-timeout (5 (delete-process (jsonrpc--process conn)))
        (while (jsonrpc-running-p conn)
          (accept-process-output nil 0.1))))
    (ignore-errors (jsonrpc-shutdown conn t))
    (setq issuebridge--connection nil)))

(defun issuebridge--call (conn method params timeout)
  "Send METHOD (a symbol) with PARAMS on CONN and wait up to TIMEOUT seconds.
Returns the result; a JSON-RPC error becomes `issuebridge-error'.  A quit
\(\\[keyboard-quit]) or a timeout cancels the request in the agent."
  (let* ((state nil) (result nil) (failure nil)
         (deadline (and timeout (+ (float-time) timeout)))
         id)
    (jsonrpc-async-request
     conn method params
     :success-fn (lambda (value) (setq state 'done result value))
     :error-fn (lambda (err) (setq state 'failed failure err))
     ;; Our own deadline below: jsonrpc's timer would leave the agent working.
     :timeout nil)
    ;; jsonrpc-async-request does not return the id; it is the one just taken.
    (setq id (jsonrpc--next-request-id conn))
    (unwind-protect
        (while (not state)
          (if (and deadline (> (float-time) deadline))
              (setq state 'timeout)
            (accept-process-output nil 0.1)))
      (unless (memq state '(done failed))
        (remhash id (jsonrpc--request-continuations conn))
        (when (jsonrpc-running-p conn)
          (jsonrpc-notify conn '$/cancelRequest (list :id id)))))
    (pcase state
      ('done result)
      ('failed
       (signal 'issuebridge-error
               (if (eql (plist-get failure :code) -1)
                   ;; jsonrpc.el's word for a process that ended with requests open.
                   (list "The agent stopped; its last words are in the buffer \
\" *issuebridge stderr*\". The next command starts it again."
                         nil nil)
                 (list (or (plist-get failure :message) "The agent failed")
                       (plist-get failure :code)
                       (plist-get failure :data)))))
      (_ (signal 'issuebridge-error
                 (list (format "The agent did not answer %s within %s seconds" method timeout)
                       nil nil))))))

(cl-defun issuebridge-request (method &optional params &key timeout)
  "Call METHOD (a string such as \"issuebridge/issues/fetch\") with PARAMS.
PARAMS is a plist (nil for {}); nested objects are plists too, JSON arrays are
vectors.  Waits for the answer and returns the result as a plist (arrays as
vectors, false as :json-false).  A failure signals `issuebridge-error' whose
data is (MESSAGE CODE DATA): the agent's message, the JSON-RPC error code and
the error's `data' plist (:kind, :hint, :action, ...).  TIMEOUT defaults to
`issuebridge-request-timeout'."
  (issuebridge--call (issuebridge--connection)
                     (if (symbolp method) method (intern method))
                     (or params (issuebridge--empty-object))
                     (or timeout issuebridge-request-timeout)))

(defun issuebridge-error-message (err) "The agent's message in ERR." (nth 1 err))
(defun issuebridge-error-code (err) "The JSON-RPC code in ERR." (nth 2 err))
(defun issuebridge-error-data (err) "The error's data plist in ERR." (nth 3 err))

(defun issuebridge--next-token (what)
  (format "issuebridge.el-%s-%d" what (cl-incf issuebridge--token-counter)))

;;;; What the agent sends

(defvar issuebridge-request-handlers nil
  "More requests of the agent that this client answers.
An alist of (METHOD . FUNCTION): METHOD is a symbol such as
`workspace/applyEdit'; FUNCTION takes the params (a plist) and returns the
result.  issuebridge-keys.el adds its own.")

(defun issuebridge--handle-request (_conn method params)
  (pcase method
    ('window/showDocument (issuebridge--show-document params))
    ('window/showMessageRequest (issuebridge--show-message-request params))
    (_ (if-let ((handler (alist-get method issuebridge-request-handlers)))
           (funcall handler params)
         (jsonrpc-error :code -32601
                        :message (format "issuebridge.el does not handle %s" method))))))

(defun issuebridge--show-message-request (params)
  "The agent's question with buttons (a project to create an issue in): the
button picked, or null when the user picks none (\\[keyboard-quit])."
  (let* ((actions (append (plist-get params :actions) nil))
         (titles (mapcar (lambda (action) (plist-get action :title)) actions)))
    (if (null titles)
        (progn (issuebridge--say "issuebridge: %s" (plist-get params :message)) nil)
      (condition-case nil
          (let ((title (completing-read (concat (plist-get params :message) " ") titles nil t)))
            (cl-find title actions :key (lambda (a) (plist-get a :title)) :test #'equal))
        (quit nil)))))

(defun issuebridge--show-document (params)
  "Open the URL the agent asks for; `:success' says whether it could."
  (let ((uri (plist-get params :uri)))
    (if (not (and (stringp uri) (string-match-p "\\`\\(https?\\|file\\):" uri)))
        (list :success :json-false)
      (condition-case err
          (progn (funcall issuebridge-browse-url-function uri)
                 (list :success t))
        (error
         (issuebridge--say "issuebridge: could not open %s: %s" uri (error-message-string err))
         (list :success :json-false))))))

(defun issuebridge--handle-notification (_conn method params)
  (pcase method
    ('window/showMessage
     (issuebridge--say "issuebridge: %s%s"
                       (pcase (plist-get params :type) (1 "error: ") (2 "warning: ") (_ ""))
                       (plist-get params :message)))
    ('window/logMessage (issuebridge--log (plist-get params :type) (plist-get params :message)))
    ('$/progress (issuebridge--progress params))
    ('issuebridge/providers/didChange
     (setq issuebridge--providers (plist-get params :providers))
     (run-hooks 'issuebridge-providers-changed-hook))
    (_ nil)))

(defconst issuebridge--log-max-size (* 1024 1024)
  "The agent's log buffer keeps about this many characters, the newest.")

(defun issuebridge--log (type text)
  (with-current-buffer (get-buffer-create issuebridge--log-buffer)
    (let ((inhibit-read-only t))
      (goto-char (point-max))
      (insert (format-time-string "%F %T ")
              (pcase type (1 "error ") (2 "warning ") (3 "info ") (_ ""))
              (or text "") "\n")
      ;; A session of days must not grow it without bound.
      (when (> (buffer-size) issuebridge--log-max-size)
        (goto-char (- (point-max) (/ issuebridge--log-max-size 2)))
        (delete-region (point-min) (line-beginning-position 2))))
    (setq buffer-read-only t)))

(defun issuebridge--progress (params)
  "Show LSP work-done progress in the echo area."
  (let* ((token (format "%s" (plist-get params :token)))
         (value (plist-get params :value))
         (kind (plist-get value :kind))
         (title (if (equal kind "begin")
                    (puthash token (plist-get value :title) issuebridge--progress)
                  (gethash token issuebridge--progress)))
         (text (plist-get value :message))
         (percentage (plist-get value :percentage)))
    (when (equal kind "end") (remhash token issuebridge--progress))
    (issuebridge--say "issuebridge: %s%s%s%s"
                      (or title "")
                      (if text (concat (if title ": " "") text) "")
                      (if (numberp percentage) (format " (%d%%)" percentage) "")
                      (if (equal kind "end") " done" ""))))

;;;; Errors as the user sees them

(defun issuebridge--next-step (data)
  "What to do next, in Emacs's words, for the error's `data.action'."
  (pcase (plist-get data :action)
    ("configure" "M-x issuebridge-configure")
    ("authorize" "M-x issuebridge-authorize")
    ("generateKey" "M-x issuebridge-configure and generate a key")
    ("unlock" "unlock the team's configuration with its passphrase (issuebridge team unlock)")
    ("setCaBundle" "add the server's CA to `issuebridge-http' as :caBundle")
    ("retry" "try again later")
    ("repairStorage" (format "repair or move aside %s" (or (plist-get data :path) "the file")))
    (_ nil)))

(defun issuebridge-describe-error (err)
  "ERR, an `issuebridge-error', as one text: message, hint and next step."
  (let* ((data (issuebridge-error-data err))
         (hint (plist-get data :hint))
         (next (issuebridge--next-step data)))
    (concat (issuebridge-error-message err)
            (if hint (concat " " hint) "")
            (if next (format " (next: %s)" next) ""))))

(defmacro issuebridge--user-errors (&rest body)
  "Run BODY; an `issuebridge-error' becomes a `user-error' the user can act on."
  (declare (indent 0) (debug t))
  `(condition-case err
       (progn ,@body)
     (issuebridge-error (user-error "%s" (issuebridge-describe-error err)))))

;;;; Providers and instances

(defun issuebridge--refresh-providers ()
  (setq issuebridge--providers
        (plist-get (issuebridge-request "issuebridge/providers/list") :providers)))

(defun issuebridge--instances ()
  "Every configured instance, each plist with its provider's plist as :provider."
  (cl-loop for provider across (or (issuebridge--refresh-providers) [])
           append (cl-loop for instance across (plist-get provider :instances)
                           collect (append instance (list :provider provider)))))

(defun issuebridge--instance-label (instance)
  (format "%s (%s, %s)" (plist-get instance :baseUrl)
          (plist-get (plist-get instance :provider) :name)
          (plist-get instance :state)))

(defun issuebridge--auth-method (instance)
  (cl-find (plist-get instance :authMethod)
           (plist-get (plist-get instance :provider) :authMethods)
           :key (lambda (m) (plist-get m :id)) :test #'equal))

(defun issuebridge--browser-authorization-p (instance)
  (equal (plist-get (issuebridge--auth-method instance) :authorization) "browser"))

(defun issuebridge--read-instance (prompt &optional predicate)
  "An instance id: the only instance PREDICATE accepts, or the one picked."
  (let* ((instances (issuebridge--instances))
         (candidates (if predicate (cl-remove-if-not predicate instances) instances)))
    (cond
     ((null instances) (user-error "No server is configured yet (next: M-x issuebridge-configure)"))
     ((null candidates) (user-error "No server fits; the configured ones: %s"
                                    (mapconcat #'issuebridge--instance-label instances ", ")))
     ((null (cdr candidates)) (plist-get (car candidates) :instanceId))
     (t (let* ((table (mapcar (lambda (i) (cons (issuebridge--instance-label i) i)) candidates))
               (choice (completing-read prompt table nil t)))
          (plist-get (cdr (assoc choice table)) :instanceId))))))

(defun issuebridge--connected-p (instance) (equal (plist-get instance :state) "connected"))

(defun issuebridge--unsupported (providers instance-id method what)
  "Why INSTANCE-ID cannot do METHOD (described as WHAT), or nil when it can.
What a tracker lacks is absent from its provider's `:capabilities' in
PROVIDERS (a vector, as `providers/list' answers); a provider that lists
none (an older agent: Jira Server only) supports every method."
  (cl-loop for provider across (or providers [])
           when (cl-find instance-id (plist-get provider :instances)
                         :key (lambda (i) (plist-get i :instanceId)) :test #'equal)
           return (and (plist-member provider :capabilities)
                       (not (seq-contains-p (plist-get provider :capabilities) method))
                       (format "%s does not support %s through issuebridge"
                               (or (plist-get provider :name) (plist-get provider :id))
                               what))))

(defun issuebridge--require (instance-id method what)
  "Signal a `user-error' before calling METHOD if INSTANCE-ID's tracker lacks it."
  (when-let ((refused (issuebridge--unsupported
                       (or issuebridge--providers
                           (issuebridge--user-errors (issuebridge--refresh-providers)))
                       instance-id method what)))
    (user-error "%s" refused)))

(defun issuebridge-providers ()
  "Show the trackers the agent knows, their sign-in methods and the servers."
  (interactive)
  (issuebridge--user-errors
    (issuebridge--refresh-providers)
    (with-current-buffer (get-buffer-create "*issuebridge-providers*")
      (let ((inhibit-read-only t))
        (erase-buffer)
        (cl-loop for provider across issuebridge--providers do
                 (insert (propertize (plist-get provider :name) 'face 'bold)
                         (format " (%s)\n" (plist-get provider :id)))
                 (cl-loop for method across (plist-get provider :authMethods) do
                          (insert (format "  %s: %s\n" (plist-get method :label)
                                          (plist-get method :description))))
                 (let ((instances (plist-get provider :instances)))
                   (if (zerop (length instances))
                       (insert "  No server configured.\n")
                     (cl-loop for instance across instances do
                              (insert (format "  * %s  %s, %s%s%s\n"
                                              (plist-get instance :baseUrl)
                                              (plist-get instance :authMethod)
                                              (plist-get instance :state)
                                              (if-let ((user (plist-get instance :user)))
                                                  (format " as %s" (plist-get user :displayName))
                                                "")
                                              (if-let ((e (plist-get instance :error)))
                                                  (format ": %s" e) ""))))))
                 (insert "\n")))
      (special-mode)
      (display-buffer (current-buffer)))))

;;;; Configure

(defun issuebridge--read-provider-and-method ()
  (let* ((providers (append (issuebridge--refresh-providers) nil))
         (provider (if (null (cdr providers)) (car providers)
                     (let ((table (mapcar (lambda (p) (cons (plist-get p :name) p)) providers)))
                       (cdr (assoc (completing-read "Tracker: " table nil t) table)))))
         (methods (append (plist-get provider :authMethods) nil))
         (table (mapcar (lambda (m) (cons (plist-get m :label) m)) methods))
         (method (if (null (cdr methods)) (car methods)
                   (let ((completion-extra-properties
                          (list :annotation-function
                                (lambda (label)
                                  (concat "  " (plist-get (cdr (assoc label table))
                                                          :description))))))
                     (cdr (assoc (completing-read "Sign in with: " table nil t) table))))))
    (list (plist-get provider :id) (plist-get method :id))))

(defun issuebridge--form (provider-id method-id)
  (let* ((provider (cl-find provider-id issuebridge--providers
                            :key (lambda (p) (plist-get p :id)) :test #'equal))
         (method (cl-find method-id (plist-get provider :authMethods)
                          :key (lambda (m) (plist-get m :id)) :test #'equal)))
    (unless method (user-error "The agent offers no %s for %s" method-id provider-id))
    method))

(defconst issuebridge--public-key-buffer "*issuebridge public key*")

(defun issuebridge--generate-key ()
  "A new key pair from the agent: shows the public key for the Jira admin.
Returns the key id once the user says the key is in Jira: configuring before
the admin has added it only fails."
  (let* ((result (issuebridge-request "issuebridge/keys/generate"))
         (pem (plist-get result :publicKeyPem))
         (key-id (plist-get result :keyId)))
    (kill-new pem)
    (with-current-buffer (get-buffer-create issuebridge--public-key-buffer)
      (let ((inhibit-read-only t))
        (erase-buffer)
        (insert "Give this public key to your Jira admin for the incoming Application Link\n"
                "(it is also in the kill ring). Its key id, to enter at the key prompt\n"
                "when you configure later: " key-id "\n\n" pem))
      (special-mode)
      (display-buffer (current-buffer)))
    (unless (y-or-n-p "Is this public key in Jira's Application Link now? ")
      (user-error "Configure again once the key is in Jira; at the key prompt enter %s"
                  key-id))
    key-id))

(defun issuebridge--read-field (field &optional problem previous)
  "Ask for FIELD's value (nil when an optional field is left empty).
PROBLEM is the agent's complaint about the PREVIOUS value."
  (let* ((label (plist-get field :label))
         (required (eq (plist-get field :required) t))
         (help (plist-get field :help))
         (prompt (concat (if problem (concat problem " ") "")
                         label
                         (if (and help (not problem)) (format " (%s)" help) "")
                         (if required "" ", RET to leave out")
                         ": "))
         (default (or previous (plist-get field :default))))
    (cl-loop
     for value = (pcase (plist-get field :kind)
                   ("secret" (read-passwd prompt))
                   ("multilineSecret"
                    (let ((file (read-file-name (concat (string-remove-suffix ": " prompt)
                                                        ", from file: ")
                                                nil "")))
                      (if (string-empty-p file) ""
                        (with-temp-buffer
                          (insert-file-contents (expand-file-name file))
                          (buffer-string)))))
                   ("keyRef"
                    (let ((answer (completing-read
                                   (concat (string-remove-suffix ": " prompt)
                                           " (a key id, or generate): ")
                                   '("generate a new key pair") nil nil default)))
                      (if (equal answer "generate a new key pair") (issuebridge--generate-key)
                        answer)))
                   (_ (read-string prompt default nil default)))
     for empty = (or (null value) (string-empty-p (string-trim value)))
     if (not empty) return value
     if (not required) return nil
     do (setq prompt (concat label " is required: ")))))

(defun issuebridge--same-url-p (a b)
  (and (stringp a) (stringp b)
       (string= (downcase (string-remove-suffix "/" a)) (downcase (string-remove-suffix "/" b)))))

(defun issuebridge--known-settings (provider-id method-id base-url)
  "The non-secret form values of the instance of PROVIDER-ID at BASE-URL, if it
uses METHOD-ID: `Instance.settings', to fill the form in again on a reconnect."
  (when-let ((instance (cl-find-if
                        (lambda (i)
                          (and (equal (plist-get (plist-get i :provider) :id) provider-id)
                               (equal (plist-get i :authMethod) method-id)
                               (issuebridge--same-url-p (plist-get i :baseUrl) base-url)))
                        (issuebridge--instances))))
    (plist-get instance :settings)))

(defun issuebridge--read-fields (form &optional known-settings)
  "A plist of the FORM's field values, prompted one by one.
KNOWN-SETTINGS, a function of the base URL, gives the values an instance
already configured there has (a plist), to start the prompts with."
  (let (values key-given known)
    (cl-loop for field across (plist-get form :fields) do
             (let* ((kind (plist-get field :kind))
                    (key (intern (concat ":" (plist-get field :name))))
                    (secret (member kind '("secret" "multilineSecret")))
                    (previous (and (not secret) (plist-get known key))))
               ;; "Use this or a generated key": a key already given leaves out the other.
               (unless (and key-given (equal kind "multilineSecret")
                            (not (eq (plist-get field :required) t)))
                 (when-let ((value (issuebridge--read-field field nil previous)))
                   (when (equal kind "keyRef") (setq key-given t))
                   (when (and (eq key :baseUrl) known-settings)
                     (setq known (funcall known-settings value)))
                   (setq values (plist-put values key value))))))
    values))

(defun issuebridge--field-of-error (err form)
  "The FORM's field that ERR (an `issuebridge-error') is about, or nil."
  (let ((path (plist-get (issuebridge-error-data err) :field)))
    (when (and (stringp path) (string-prefix-p "fields." path))
      (cl-find (substring path (length "fields.")) (plist-get form :fields)
               :key (lambda (f) (plist-get f :name)) :test #'equal))))

(defun issuebridge-configure (provider-id method-id &optional fields)
  "Configure a server of PROVIDER-ID signing in with METHOD-ID.
Interactively, the tracker, the method and every field of its form are asked
for (secrets with `read-passwd'); a value the agent refuses is asked for again
with the agent's words.  From Lisp, FIELDS is a plist such as
\(:baseUrl URL :token TOKEN).  Returns the instance plist.  An instance that
needs a browser authorization is offered one."
  (interactive (issuebridge--user-errors (issuebridge--read-provider-and-method)))
  (issuebridge--user-errors
    (unless issuebridge--providers (issuebridge--refresh-providers))
    (let* ((form (issuebridge--form provider-id method-id))
           (asking (called-interactively-p 'any))
           (guide (plist-get form :guideUrl))
           (values (or fields
                       ;; The admin's steps for this method, when the agent has them.
                       (progn (when guide
                                (issuebridge--say "issuebridge: how to set up %s: %s"
                                                  (plist-get form :label) guide))
                              nil)
                       (issuebridge--read-fields
                        form (apply-partially #'issuebridge--known-settings
                                              provider-id method-id))))
           instance)
      (while (not instance)
        (condition-case err
            (setq instance
                  (plist-get
                   (issuebridge-request "issuebridge/providers/configure"
                                        (list :providerId provider-id :authMethod method-id
                                              :fields (or values (issuebridge--empty-object))
                                              :workDoneToken (issuebridge--next-token "configure")))
                   :instance))
          (issuebridge-error
           (let ((field (and asking (issuebridge--field-of-error err form))))
             (unless field (signal (car err) (cdr err)))
             ;; Ask again for the value the agent refused, in its words.
             (let* ((key (intern (concat ":" (plist-get field :name))))
                    (previous (plist-get values key))
                    (value (issuebridge--read-field
                            field (issuebridge-describe-error err)
                            (and (not (member (plist-get field :kind)
                                              '("secret" "multilineSecret")))
                                 previous))))
               (setq values (plist-put values key value)))))))
      (issuebridge--say "issuebridge: %s" (issuebridge--state-text instance))
      (when (and asking (equal (plist-get instance :state) "needsAuthorization")
                 (y-or-n-p "Allow access in the browser now? "))
        (issuebridge-authorize (plist-get instance :instanceId)))
      instance)))

;;;; Authorize

(defun issuebridge--wants-authorization-p (instance)
  (and (issuebridge--browser-authorization-p instance)
       (not (issuebridge--connected-p instance))))

(defun issuebridge--read-authorizable (prompt)
  (let ((waiting (cl-remove-if-not #'issuebridge--wants-authorization-p (issuebridge--instances))))
    (if (and waiting (null (cdr waiting))) (plist-get (car waiting) :instanceId)
      (issuebridge--read-instance prompt #'issuebridge--browser-authorization-p))))

(defun issuebridge--state-text (instance)
  "INSTANCE's state in words: \"URL is connected as NAME\" and the like."
  (let ((url (plist-get instance :baseUrl))
        (user (plist-get (plist-get instance :user) :displayName)))
    (pcase (plist-get instance :state)
      ("connected" (format "%s is connected%s" url (if user (format " as %s" user) "")))
      ("needsAuthorization" (format "%s is configured; allow access in the browser next \
(M-x issuebridge-authorize)" url))
      (state (format "%s: %s" url (or (plist-get instance :error) state))))))

(defun issuebridge--connected-message (instance)
  (format "issuebridge: connected to %s%s" (plist-get instance :baseUrl)
          (if-let ((user (plist-get instance :user)))
              (format " as %s" (plist-get user :displayName)) "")))

(defun issuebridge-authorize (instance-id &optional paste on-done)
  "Allow issuebridge access to INSTANCE-ID in the browser.
The agent listens on 127.0.0.1 for the browser to come back and asks Emacs to
open the authorize page (`issuebridge-browse-url-function'); Emacs stays usable
meanwhile.  When the browser cannot come back (SSH, containers), run
`issuebridge-complete-authorization' with the code or address it shows.  With
PASTE (\\[universal-argument]) no listener is used: the address is shown and the code asked
for.  ON-DONE, if given, is called with the instance plist, or with an
`issuebridge-error' when the authorization failed."
  (interactive (list (issuebridge--user-errors (issuebridge--read-authorizable "Authorize: "))
                     current-prefix-arg))
  (issuebridge--user-errors
    (if paste
        (let ((instance (issuebridge--authorize-by-code instance-id)))
          (when on-done (funcall on-done instance))
          instance)
      (issuebridge--authorize-loopback instance-id on-done))))

(defun issuebridge--authorize-loopback (instance-id on-done)
  (let ((conn (issuebridge--connection)))
    (setq issuebridge--pending-authorization instance-id)
    (jsonrpc-async-request
     conn 'issuebridge/providers/authorize
     (list :instanceId instance-id :callback "loopback"
           :workDoneToken (issuebridge--next-token "authorize"))
     :timeout issuebridge-authorize-timeout
     :success-fn
     (lambda (result)
       (when (equal issuebridge--pending-authorization instance-id)
         (setq issuebridge--pending-authorization nil))
       (let ((instance (plist-get result :instance))
             (url (plist-get result :authorizeUrl)))
         (if url
             ;; The agent could not have the page opened: the code path, outside the
             ;; process filter so that the minibuffer is free.
             (run-at-time 0 nil #'issuebridge--finish-by-code instance-id url on-done)
           (issuebridge--say "%s" (issuebridge--connected-message instance))
           (when on-done (funcall on-done instance)))))
     :error-fn
     (lambda (failure)
       (when (equal issuebridge--pending-authorization instance-id)
         (setq issuebridge--pending-authorization nil))
       (let ((err (list 'issuebridge-error (plist-get failure :message)
                        (plist-get failure :code) (plist-get failure :data))))
         (issuebridge--say "issuebridge: %s" (issuebridge-describe-error err))
         (when on-done (funcall on-done err))))
     :timeout-fn
     (lambda ()
       (issuebridge--say "issuebridge: the authorization was not finished in time")))
    (issuebridge--say "issuebridge: allow access in the browser; if it cannot come back, \
M-x issuebridge-complete-authorization takes the code or the address it shows")
    nil))

(defun issuebridge--read-code (url)
  (kill-new url)
  (issuebridge--say "issuebridge: open %s (in the kill ring) and allow access" url)
  (let ((code (string-trim (read-string "Paste the code or the address the browser shows: "))))
    (when (string-empty-p code) (user-error "No code given"))
    code))

(defun issuebridge--authorize-by-code (instance-id)
  (let* ((result (issuebridge-request "issuebridge/providers/authorize"
                                      (list :instanceId instance-id :callback "oob")))
         (url (plist-get result :authorizeUrl)))
    (issuebridge--complete instance-id (issuebridge--read-code url))))

(defun issuebridge--finish-by-code (instance-id url on-done)
  (let ((instance (issuebridge--user-errors
                    (issuebridge--complete instance-id (issuebridge--read-code url)))))
    (when on-done (funcall on-done instance))))

(defun issuebridge--complete (instance-id verifier)
  (let ((instance (plist-get (issuebridge-request "issuebridge/providers/completeAuthorization"
                                                  (list :instanceId instance-id
                                                        :verifier verifier))
                             :instance)))
    (issuebridge--say "%s" (issuebridge--connected-message instance))
    instance))

(defun issuebridge-complete-authorization (instance-id verifier)
  "Finish the authorization of INSTANCE-ID with VERIFIER.
VERIFIER is the code Jira shows, or the whole address the browser was sent to."
  (interactive
   (issuebridge--user-errors
     (list (or issuebridge--pending-authorization
               (issuebridge--read-authorizable "Complete the authorization of: "))
           (string-trim (read-string "Paste the code or the address the browser shows: ")))))
  (issuebridge--user-errors (issuebridge--complete instance-id verifier)))

(defun issuebridge-disconnect (instance-id &optional forget)
  "Forget the credentials of INSTANCE-ID.
With FORGET (\\[universal-argument]), the whole configuration of it."
  (interactive (list (issuebridge--user-errors (issuebridge--read-instance "Disconnect: "))
                     current-prefix-arg))
  (issuebridge--user-errors
    (issuebridge-request "issuebridge/providers/disconnect"
                         (list :instanceId instance-id :forget (if forget t :json-false)))
    (issuebridge--say "issuebridge: %s" (if forget "forgotten" "disconnected"))))

;;;; Issues

(defvar-local issuebridge--instance-id nil "The instance this issue list is of.")
(defvar-local issuebridge--query nil
  "The query of this issue list, or nil for my open issues.
In the tracker's own syntax: JQL for Jira.")
(defvar-local issuebridge--issues nil "The listed issues (plists) by key.")

(defvar issuebridge-issues-mode-map
  (let ((map (make-sparse-keymap)))
    (define-key map (kbd "RET") #'issuebridge-open-issue)
    (define-key map (kbd "s") #'issuebridge-start-work)
    (define-key map (kbd "w") #'issuebridge-copy-key)
    (define-key map (kbd "v") #'issuebridge-show-issue)
    map)
  "Keys of `issuebridge-issues-mode': RET opens, g refreshes, s starts work.")

(define-derived-mode issuebridge-issues-mode tabulated-list-mode "Issues"
  "The issues of one server: RET opens the issue in the browser, `v' shows it with
its comments, `g' fetches the list again, `s' starts work on the issue, `w'
copies its key."
  (setq tabulated-list-format [("Key" 12 issuebridge--sort-by-key)
                               ("Title" 60 t)
                               ("Status" 14 t)
                               ("Updated" 16 t)])
  (setq tabulated-list-padding 1)
  (add-hook 'tabulated-list-revert-hook #'issuebridge--fetch-into-buffer nil t)
  (tabulated-list-init-header))

(defun issuebridge--key-parts (key)
  (if (string-match "\\`\\(.*?\\)-?\\([0-9]+\\)\\'" key)
      (cons (match-string 1 key) (string-to-number (match-string 2 key)))
    (cons key 0)))

(defun issuebridge--sort-by-key (a b)
  "CORE-9 before CORE-10."
  (let ((x (issuebridge--key-parts (car a))) (y (issuebridge--key-parts (car b))))
    (if (equal (car x) (car y)) (< (cdr x) (cdr y)) (string< (car x) (car y)))))

(defun issuebridge--updated (iso)
  "ISO, an ISO 8601 time from the agent, as \"YYYY-MM-DD HH:MM\" in local time."
  (condition-case nil
      (format-time-string "%F %R" (encode-time (iso8601-parse iso)))
    (error (or iso ""))))

(defun issuebridge--entry (issue)
  (let ((key (plist-get issue :key)))
    (list key (vector (propertize key 'face 'link)
                      (or (plist-get issue :title) "")
                      (plist-get (plist-get issue :status) :name)
                      (issuebridge--updated (plist-get issue :updatedAt))))))

(defun issuebridge--fetch-into-buffer ()
  "Fetch the list of this buffer again (`tabulated-list-revert-hook')."
  (let* ((result (issuebridge--user-errors
                   (issuebridge-request
                    "issuebridge/issues/fetch"
                    (append (list :instanceId issuebridge--instance-id
                                  :limit issuebridge-fetch-limit
                                  :workDoneToken (issuebridge--next-token "fetch"))
                            (and issuebridge--query (list :query issuebridge--query))))))
         (issues (append (plist-get result :issues) nil))
         (stale (eq (plist-get result :stale) t)))
    (setq issuebridge--issues (make-hash-table :test #'equal))
    (dolist (issue issues) (puthash (plist-get issue :key) issue issuebridge--issues))
    (setq tabulated-list-entries (mapcar #'issuebridge--entry issues))
    (setq header-line-format
          (if stale
              (format " Offline: the list as it was at %s (%s)"
                      (issuebridge--updated (plist-get result :fetchedAt))
                      (plist-get result :staleReason))
            nil))
    (issuebridge--say "issuebridge: %d issue%s%s" (length issues)
                      (if (= (length issues) 1) "" "s")
                      (let ((total (plist-get result :total)))
                        (if (and (numberp total) (/= total (length issues)))
                            (format " of %d" total) "")))))

(defun issuebridge-issues (&optional query instance-id)
  "List the issues of a connected server in `*issuebridge-issues*'.
Without QUERY, the unresolved issues assigned to you; with \\[universal-argument], a
query in the tracker's own syntax (JQL for Jira) is asked for.  Every matching
issue is listed (up to `issuebridge-fetch-limit'), however few a page of the
server holds."
  (interactive (list (and current-prefix-arg (read-string "Query (JQL for Jira): ")) nil))
  (let ((id (or instance-id
                (issuebridge--user-errors
                  (issuebridge--read-instance "Issues of: " #'issuebridge--connected-p)))))
    (with-current-buffer (get-buffer-create "*issuebridge-issues*")
      (issuebridge-issues-mode)
      (setq issuebridge--instance-id id
            issuebridge--query (and query (not (string-empty-p (string-trim query))) query))
      (issuebridge--fetch-into-buffer)
      (tabulated-list-print)
      (pop-to-buffer (current-buffer))
      (current-buffer))))

(defun issuebridge--issue-at-point ()
  (let ((key (tabulated-list-get-id)))
    (unless key (user-error "No issue on this line"))
    (gethash key issuebridge--issues)))

(defun issuebridge-open-issue ()
  "Open the issue at point in the browser."
  (interactive)
  (funcall issuebridge-browse-url-function (plist-get (issuebridge--issue-at-point) :url)))

(defun issuebridge-copy-key ()
  "Copy the key of the issue at point."
  (interactive)
  (let ((key (plist-get (issuebridge--issue-at-point) :key)))
    (kill-new key)
    (message "%s" key)))

;;;; One issue

(defvar-local issuebridge--issue-key nil "The key of the issue this buffer shows.")
(defvar-local issuebridge--issue nil "The issue this buffer shows (an `IssueDetail' plist).")

(defvar issuebridge-issue-mode-map
  (let ((map (make-sparse-keymap)))
    (define-key map (kbd "o") #'issuebridge-issue-browse)
    (define-key map (kbd "c") #'issuebridge-comment)
    (define-key map (kbd "t") #'issuebridge-transition)
    (define-key map (kbd "s") #'issuebridge-start-work)
    map)
  "Keys of `issuebridge-issue-mode'.")

(define-derived-mode issuebridge-issue-mode special-mode "Issue"
  "One issue with its comments: `o' opens it in the browser, `c' comments, `t'
moves it along a transition, `s' starts work, `g' reads it again."
  (setq-local revert-buffer-function (lambda (&rest _) (issuebridge--render-issue))))

(defun issuebridge--person (user) (or (plist-get user :displayName) "nobody"))

(defun issuebridge--render-issue ()
  "Read the issue of this buffer from the agent and show it."
  (let* ((issue (plist-get (issuebridge--user-errors
                             (issuebridge-request "issuebridge/issues/get"
                                                  (list :instanceId issuebridge--instance-id
                                                        :key issuebridge--issue-key)))
                           :issue))
         (inhibit-read-only t))
    (setq issuebridge--issue issue)
    (erase-buffer)
    (insert (propertize (format "%s  %s" (plist-get issue :key) (plist-get issue :title))
                        'face 'bold)
            "\n"
            (format "Status: %s   Type: %s   Priority: %s\n"
                    (plist-get (plist-get issue :status) :name)
                    (or (plist-get issue :type) "-") (or (plist-get issue :priority) "-"))
            (format "Assignee: %s   Reporter: %s\n"
                    (issuebridge--person (plist-get issue :assignee))
                    (issuebridge--person (plist-get issue :reporter)))
            (format "Project: %s   Labels: %s\n"
                    (plist-get (plist-get issue :project) :name)
                    (let ((labels (append (plist-get issue :labels) nil)))
                      (if labels (string-join labels ", ") "-")))
            (format "Created: %s   Updated: %s\n"
                    (issuebridge--updated (plist-get issue :createdAt))
                    (issuebridge--updated (plist-get issue :updatedAt)))
            (plist-get issue :url) "\n\n"
            (or (plist-get issue :description) "(no description)") "\n")
    (let ((comments (append (plist-get issue :comments) nil)))
      (insert "\n" (propertize (format "Comments (%d)" (length comments)) 'face 'bold) "\n")
      (dolist (comment comments)
        (insert (format "\n-- %s, %s\n" (issuebridge--person (plist-get comment :author))
                        (issuebridge--updated (plist-get comment :createdAt)))
                (plist-get comment :body) "\n")))
    (goto-char (point-min))
    issue))

(defun issuebridge--issue-context ()
  "The instance and key of the issue at point (a list or an issue buffer), or nil."
  (cond ((derived-mode-p 'issuebridge-issue-mode)
         (list issuebridge--instance-id issuebridge--issue-key))
        ((and (derived-mode-p 'issuebridge-issues-mode) (tabulated-list-get-id))
         (list issuebridge--instance-id (tabulated-list-get-id)))))

(defun issuebridge-show-issue (key &optional instance-id)
  "Show issue KEY with its comments in a buffer of its own.
In the issue list, the issue at point (`v')."
  (interactive
   (let ((context (issuebridge--issue-context)))
     (list (or (nth 1 context) (upcase (read-string "Show issue: "))) (car context))))
  (let ((id (or instance-id
                (issuebridge--user-errors
                  (issuebridge--read-instance "Issue of: " #'issuebridge--connected-p)))))
    (issuebridge--require id "issuebridge/issues/get" "reading issues")
    (with-current-buffer (get-buffer-create (format "*issuebridge %s*" key))
      (issuebridge-issue-mode)
      (setq issuebridge--instance-id id
            issuebridge--issue-key key)
      (issuebridge--render-issue)
      (pop-to-buffer (current-buffer))
      (current-buffer))))

(defun issuebridge-issue-browse ()
  "Open the issue of this buffer in the browser."
  (interactive)
  (funcall issuebridge-browse-url-function (plist-get issuebridge--issue :url)))

(defun issuebridge--after-change (key &optional issue)
  "Show the change to KEY where it is shown: its buffer, and ISSUE (the issue as
the agent answered after the change) in the list's row."
  (when-let ((buffer (get-buffer (format "*issuebridge %s*" key))))
    (with-current-buffer buffer (issuebridge--render-issue)))
  (when-let ((list (and issue (get-buffer "*issuebridge-issues*"))))
    (with-current-buffer list
      (when (and issuebridge--issues (gethash key issuebridge--issues))
        (puthash key issue issuebridge--issues)
        (setf (alist-get key tabulated-list-entries nil nil #'equal)
              (cdr (issuebridge--entry issue)))
        (tabulated-list-print t)))))

(defun issuebridge-comment (body)
  "Add a comment with BODY to the issue of this buffer."
  (interactive
   (progn
     ;; Said before the comment is typed, not after.
     (when-let ((context (issuebridge--issue-context)))
       (issuebridge--require (car context) "issuebridge/issues/comment" "comments"))
     (list (read-string "Comment: "))))
  (pcase-let ((`(,id ,key) (or (issuebridge--issue-context) (user-error "No issue here"))))
    (issuebridge--require id "issuebridge/issues/comment" "comments")
    (issuebridge--user-errors
      (issuebridge-request "issuebridge/issues/comment"
                           (list :instanceId id :key key :body body)))
    (issuebridge--say "issuebridge: commented on %s" key)
    (issuebridge--after-change key)))

(defun issuebridge-transition (transition-id)
  "Move the issue of this buffer along TRANSITION-ID (asked from those it offers)."
  (interactive
   (let* ((transitions (append (plist-get issuebridge--issue :transitions) nil))
          (table (mapcar (lambda (tr)
                           (cons (format "%s (to %s)" (plist-get tr :name)
                                         (plist-get (plist-get tr :to) :name))
                                 (plist-get tr :id)))
                         transitions)))
     (unless (derived-mode-p 'issuebridge-issue-mode)
       (user-error "Show the issue first (v in the list)"))
     (issuebridge--require issuebridge--instance-id "issuebridge/issues/transition" "transitions")
     (unless table (user-error "%s offers no transition now" issuebridge--issue-key))
     (list (cdr (assoc (completing-read "Transition: " table nil t) table)))))
  (issuebridge--require issuebridge--instance-id "issuebridge/issues/transition" "transitions")
  (let ((key issuebridge--issue-key))
    (let ((issue (plist-get (issuebridge--user-errors
                              (issuebridge-request "issuebridge/issues/transition"
                                                   (list :instanceId issuebridge--instance-id
                                                         :key key :transitionId transition-id)))
                            :issue)))
      (issuebridge--say "issuebridge: %s is %s" key
                        (plist-get (plist-get issue :status) :name))
      (issuebridge--after-change key issue)
      issue)))

;;;; Start work

(defun issuebridge--git-root ()
  (when-let ((root (locate-dominating-file default-directory ".git")))
    (expand-file-name root)))

(defun issuebridge--checkout (root branch)
  "Check out BRANCH in ROOT, creating it when it does not exist yet."
  (let* ((default-directory root)
         (exists (zerop (call-process "git" nil nil nil "rev-parse" "--verify" "--quiet"
                                      (concat "refs/heads/" branch))))
         (args (if exists (list "checkout" branch) (list "checkout" "-b" branch))))
    (with-temp-buffer
      (unless (zerop (apply #'call-process "git" nil t nil args))
        (user-error "git %s failed: %s" (string-join args " ") (string-trim (buffer-string)))))))

(defun issuebridge-start-work (key &optional instance-id)
  "Start work on issue KEY: assigned to you, in progress, on its own git branch.
The agent suggests the branch name; `issuebridge-start-work-checkout' says
whether it is checked out in the repository of `default-directory'.  Returns
the agent's result (:issue, :branchName)."
  (interactive
   (let ((context (issuebridge--issue-context)))
     (list (or (nth 1 context) (upcase (read-string "Start work on issue: ")))
           (car context))))
  (issuebridge--user-errors
    (let* ((id (or instance-id
                   (issuebridge--read-instance "Issue of: " #'issuebridge--connected-p)))
           (result (progn
                     (issuebridge--require id "issuebridge/issues/startWork" "Start Work")
                     (issuebridge-request "issuebridge/issues/startWork"
                                          (list :instanceId id :key key))))
           (issue (plist-get result :issue))
           (branch (plist-get result :branchName))
           (root (issuebridge--git-root)))
      (kill-new branch)
      (when (and root (pcase issuebridge-start-work-checkout
                        ('ask (y-or-n-p (format "Check out branch %s in %s? " branch root)))
                        (value value)))
        (issuebridge--checkout root branch))
      (issuebridge--say "issuebridge: %s is %s, assigned to you; branch %s"
                        (plist-get issue :key) (plist-get (plist-get issue :status) :name) branch)
      (issuebridge--after-change key issue)
      result)))

(provide 'issuebridge)
;;; issuebridge.el ends here
