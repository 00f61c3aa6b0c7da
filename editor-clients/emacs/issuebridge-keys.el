;;; issuebridge-keys.el --- Issue keys in buffers, through the issuebridge agent  -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "28.1"))
;; Keywords: tools, vc
;; URL: https://github.com/issuebridge/issuebridge

;;; Commentary:

;; `issuebridge-keys-mode' makes the issue keys in a buffer (CORE-12 in a comment, a
;; commit message, a TODO) live, through the agent's standard LSP side: the buffer is
;; opened in the agent (textDocument/didOpen, then incremental didChange from
;; `after-change-functions', in UTF-16 columns as LSP counts them, and didClose), and
;;   - each key of a connected tracker is a button (textDocument/documentLink): RET
;;     or mouse-1 opens the issue in the browser;
;;   - eldoc shows the issue of the key at point (textDocument/hover);
;;   - `completion-at-point' after CORE- offers issues (textDocument/completion);
;;   - `issuebridge-create-issue-from-comment' on a TODO/FIXME line creates an issue
;;     from it (the code action's command, which the agent runs; it then edits the
;;     line with workspace/applyEdit, which this file answers).
;; `issuebridge-global-keys-mode' turns it on in every file buffer.
;;
;; The agent finds the keys; nothing here knows what a key looks like.

;;; Code:

(require 'cl-lib)
(require 'eldoc)
(require 'issuebridge)
(require 'jsonrpc)
(require 'subr-x)
(require 'url-util)

(defcustom issuebridge-keys-links-delay 0.3
  "Seconds after the last change before the buttons of the keys are refreshed."
  :type 'number
  :group 'issuebridge)

(defcustom issuebridge-keys-request-timeout 10
  "Seconds to wait for the agent's answer to a completion or a code action."
  :type 'number
  :group 'issuebridge)

(defcustom issuebridge-keys-ignored-modes '(special-mode)
  "Major modes (and those derived from them) `issuebridge-global-keys-mode' skips."
  :type '(repeat symbol)
  :group 'issuebridge)

(defface issuebridge-key '((t :inherit link))
  "Face of an issue key that links to its issue."
  :group 'issuebridge)

(defvar issuebridge-keys-mode)

(defvar issuebridge-keys-links-hook nil
  "Run in a buffer after its keys' buttons were refreshed from the agent.")

(defvar-local issuebridge--keys-conn nil
  "The agent connection this buffer is open in (didOpen sent), or nil.")
(defvar-local issuebridge--keys-version 0 "The document version the agent last got.")
(defvar-local issuebridge--keys-pending nil
  "(BEG END START END-POSITION) recorded by `before-change-functions'.")
(defvar-local issuebridge--keys-timer nil "The timer that refreshes the buttons.")

;;;; Positions: LSP counts UTF-16 code units

(defun issuebridge--utf16-column (pos)
  "The UTF-16 column of POS in its line."
  (save-excursion
    (goto-char pos)
    (let ((bol (line-beginning-position)) (wide 0))
      (goto-char bol)
      (while (re-search-forward "[\U00010000-\U0010FFFF]" pos t)
        (cl-incf wide))
      (+ (- pos bol) wide))))

(defun issuebridge--lsp-position (pos)
  "POS as an LSP position plist."
  (save-restriction
    (widen)
    (list :line (1- (line-number-at-pos pos t))
          :character (issuebridge--utf16-column pos))))

(defun issuebridge--forward-units (units)
  "Move forward UTF-16 UNITS in this line (at most to its end); return point."
  (let ((eol (line-end-position)))
    (while (and (> units 0) (< (point) eol))
      (setq units (- units (if (> (char-after) #xFFFF) 2 1)))
      (forward-char 1))
    (point)))

(defun issuebridge--buffer-position (position)
  "The buffer position of POSITION, an LSP position plist."
  (save-excursion
    (save-restriction
      (widen)
      (goto-char (point-min))
      (forward-line (plist-get position :line))
      (issuebridge--forward-units (plist-get position :character)))))

(defun issuebridge--position-walker ()
  "A function from LSP positions to buffer positions that moves from the line of
the previous one (cheap for positions in order: the links of a document)."
  (let ((line 0) (bol (save-restriction (widen) (point-min))))
    (lambda (position)
      (save-excursion
        (save-restriction
          (widen)
          (goto-char bol)
          (forward-line (- (plist-get position :line) line))
          (setq line (plist-get position :line) bol (point))
          (issuebridge--forward-units (plist-get position :character)))))))

(defun issuebridge--uri ()
  "This buffer's file as a file: URI."
  (concat "file://" (url-hexify-string (expand-file-name buffer-file-name)
                                       url-path-allowed-chars)))

(defun issuebridge--text-document ()
  (list :uri (issuebridge--uri)))

(defun issuebridge--language-id ()
  (let ((name (symbol-name major-mode)))
    (cond ((string-match-p "commit" name) "git-commit")
          ((string-suffix-p "-mode" name)
           (string-remove-suffix "-ts" (string-remove-suffix "-mode" name)))
          (t name))))

;;;; The document in the agent

(defun issuebridge--keys-open ()
  "The connection this buffer is open in: opened (didOpen) if it is not yet."
  (let ((conn (issuebridge--connection)))
    (unless (eq conn issuebridge--keys-conn)
      (setq issuebridge--keys-version 1)
      (save-restriction
        (widen)
        (jsonrpc-notify conn 'textDocument/didOpen
                        (list :textDocument
                              (list :uri (issuebridge--uri)
                                    :languageId (issuebridge--language-id)
                                    :version issuebridge--keys-version
                                    :text (buffer-substring-no-properties (point-min)
                                                                          (point-max))))))
      (setq issuebridge--keys-conn conn))
    conn))

(defun issuebridge--keys-live-conn ()
  "The connection this buffer is open in, if it still runs."
  (and issuebridge--keys-conn
       (eq issuebridge--keys-conn issuebridge--connection)
       (jsonrpc-running-p issuebridge--keys-conn)
       issuebridge--keys-conn))

(defun issuebridge--keys-close ()
  (when-let ((conn (issuebridge--keys-live-conn)))
    (jsonrpc-notify conn 'textDocument/didClose (list :textDocument (issuebridge--text-document))))
  (setq issuebridge--keys-conn nil))

(defun issuebridge--keys-before-change (beg end)
  (setq issuebridge--keys-pending
        (list beg end (issuebridge--lsp-position beg) (issuebridge--lsp-position end))))

(defun issuebridge--keys-after-change (beg end old-length)
  "Send the change from BEG to END (OLD-LENGTH characters before) to the agent."
  (if-let ((conn (issuebridge--keys-live-conn)))
    (let* ((pending issuebridge--keys-pending)
           (change
            (save-restriction
              (widen)
              (if (and pending (= (nth 0 pending) beg) (= (nth 1 pending) (+ beg old-length)))
                  (list :range (list :start (nth 2 pending) :end (nth 3 pending))
                        :text (buffer-substring-no-properties beg end))
                ;; The hooks saw different regions (some commands do that): all of it.
                (list :text (buffer-substring-no-properties (point-min) (point-max)))))))
      (setq issuebridge--keys-pending nil)
      (cl-incf issuebridge--keys-version)
      (jsonrpc-notify conn 'textDocument/didChange
                      (list :textDocument (list :uri (issuebridge--uri)
                                                :version issuebridge--keys-version)
                            :contentChanges (vector change)))
      (issuebridge--keys-schedule-links))
    ;; The agent was started again since: the links' refresh opens the text afresh.
    (when (issuebridge--agent-running-p) (issuebridge--keys-schedule-links))))

(defun issuebridge--agent-running-p ()
  (and issuebridge--connection (jsonrpc-running-p issuebridge--connection)))

(defun issuebridge--keys-reopen ()
  "After a revert (which may not run the change hooks): the document afresh."
  (issuebridge--keys-close)
  (issuebridge--keys-open)
  (issuebridge--keys-schedule-links))

(defun issuebridge--keys-request (method params)
  "METHOD with PARAMS for this buffer, synchronously.
A failure signals `issuebridge-error'."
  (issuebridge--call (issuebridge--keys-open) method params issuebridge-keys-request-timeout))

;;;; Links: buttons on the keys

(defvar issuebridge-key-map
  (let ((map (make-sparse-keymap)))
    (define-key map (kbd "RET") #'issuebridge-open-key-at-point)
    (define-key map [mouse-1] #'issuebridge-open-key-at-point)
    (define-key map [mouse-2] #'issuebridge-open-key-at-point)
    map)
  "Keys on an issue key's button.")

(defun issuebridge--keys-schedule-links ()
  (when (timerp issuebridge--keys-timer) (cancel-timer issuebridge--keys-timer))
  (setq issuebridge--keys-timer
        ;; A plain timer restarted by every change: links once typing pauses.
        (run-at-time issuebridge-keys-links-delay nil
                     #'issuebridge--keys-refresh-links (current-buffer))))

(defun issuebridge--keys-links-overlays ()
  (save-restriction
    (widen)
    (cl-remove-if-not (lambda (o) (overlay-get o 'issuebridge-url))
                      (overlays-in (point-min) (point-max)))))

(defun issuebridge--keys-show-links (buffer version links)
  "Buttons in BUFFER for LINKS, the agent's answer for document VERSION."
  (when (buffer-live-p buffer)
    (with-current-buffer buffer
      ;; An answer for an older text would put buttons in the wrong places.
      (when (and issuebridge-keys-mode (= version issuebridge--keys-version))
        (mapc #'delete-overlay (issuebridge--keys-links-overlays))
        (cl-loop with at = (issuebridge--position-walker)
                 for link across links
                 for range = (plist-get link :range)
                 for url = (plist-get link :target)
                 when url do
                 (let ((overlay (make-overlay (funcall at (plist-get range :start))
                                              (funcall at (plist-get range :end))
                                              nil t nil)))
                   (overlay-put overlay 'issuebridge-url url)
                   (overlay-put overlay 'face 'issuebridge-key)
                   (overlay-put overlay 'mouse-face 'highlight)
                   (overlay-put overlay 'keymap issuebridge-key-map)
                   (overlay-put overlay 'follow-link t)
                   (overlay-put overlay 'evaporate t)
                   (overlay-put overlay 'help-echo (or (plist-get link :tooltip) url))))
        (run-hooks 'issuebridge-keys-links-hook)))))

(defun issuebridge--keys-refresh-links (&optional buffer)
  "Ask the agent for the links of BUFFER (default: this one) and show them."
  (let ((buffer (or buffer (current-buffer))))
    (when (buffer-live-p buffer)
      (with-current-buffer buffer
        (when issuebridge-keys-mode
          (condition-case err
              (let ((conn (issuebridge--keys-open))
                    (version issuebridge--keys-version))
                (jsonrpc-async-request
                 conn 'textDocument/documentLink (list :textDocument (issuebridge--text-document))
                 :success-fn (lambda (links)
                               (issuebridge--keys-show-links buffer version (or links [])))
                 :error-fn #'ignore
                 :timeout-fn #'ignore))
            (issuebridge-error
             (issuebridge--say "issuebridge: %s" (issuebridge-error-message err)))))))))

(defun issuebridge-key-url-at-point (&optional pos)
  "The issue address of the key button at POS (default: point), or nil."
  (cl-some (lambda (o) (overlay-get o 'issuebridge-url)) (overlays-at (or pos (point)))))

(defun issuebridge-open-key-at-point (&optional event)
  "Open the issue of the key at point in the browser.
With EVENT, a click, the key clicked."
  (interactive (list last-nonmenu-event))
  (let* ((pos (if (mouse-event-p event) (posn-point (event-start event)) (point)))
         (url (save-excursion
                (when (mouse-event-p event) (set-buffer (window-buffer (posn-window (event-start event)))))
                (issuebridge-key-url-at-point pos))))
    (unless url (user-error "No issue key of a connected tracker here"))
    (funcall issuebridge-browse-url-function url)))

;;;; Hover in eldoc

(defun issuebridge--markdown-to-text (markdown)
  "MARKDOWN, as the agent's hover has it, in plain words.
No **, and links as their text."
  (let ((text (replace-regexp-in-string "\\[\\([^]]*\\)\\]([^)]*)" "\\1" markdown)))
    (setq text (replace-regexp-in-string "\\*\\*\\([^*]*\\)\\*\\*" "\\1" text))
    (setq text (replace-regexp-in-string "\\\\\\([][\\\\`*_{}()#+.!|<>~-]\\)" "\\1" text))
    (string-trim (replace-regexp-in-string "\n\n+" "\n" text))))

(defun issuebridge--hover-text (hover)
  (let* ((contents (plist-get hover :contents))
         (value (if (stringp contents) contents (plist-get contents :value))))
    (and (stringp value) (not (string-empty-p value))
         (issuebridge--markdown-to-text value))))

(defun issuebridge-keys-eldoc (callback &rest _)
  "The issue of the key at point, from the agent, for eldoc.
In `eldoc-documentation-functions'; CALLBACK gets the text."
  (when-let ((conn (and (issuebridge--agent-running-p) (issuebridge--keys-open))))
    (let ((buffer (current-buffer)) (start (point)))
      (jsonrpc-async-request
       conn 'textDocument/hover
       (list :textDocument (issuebridge--text-document)
             :position (issuebridge--lsp-position (point)))
       :success-fn (lambda (hover)
                     (when-let ((text (and hover (issuebridge--hover-text hover))))
                       (when (and (buffer-live-p buffer)
                                  (= start (with-current-buffer buffer (point))))
                         (funcall callback text))))
       :error-fn #'ignore
       :timeout-fn #'ignore)
      t)))

(defun issuebridge-describe-key-at-point ()
  "Show the issue of the key at point in the echo area; returns its text."
  (interactive)
  (let* ((hover (issuebridge--user-errors
                  (issuebridge--keys-request 'textDocument/hover
                                             (list :textDocument (issuebridge--text-document)
                                                   :position (issuebridge--lsp-position (point))))))
         (text (and hover (issuebridge--hover-text hover))))
    (unless text (user-error "No issue key of a connected tracker here"))
    (message "%s" text)
    text))

;;;; Completion after CORE-

(defun issuebridge--completion-items (result)
  (append (if (vectorp result) result (plist-get result :items)) nil))

(defun issuebridge-keys-completion-at-point ()
  "Issues after a project key and a dash (CORE-), owner/repo# or #.
In `completion-at-point-functions'; the agent offers them."
  (when (and (issuebridge--keys-live-conn)
             (looking-back "\\(?:[[:alnum:]_.-]+/[[:alnum:]_./-]*#\\|\\_<[[:alpha:]][[:alnum:]_]*-\\|#\\)[[:alnum:]]*"
                           (line-beginning-position)))
    (let* ((start (match-beginning 0))
           (result (condition-case nil
                       (issuebridge--keys-request
                        'textDocument/completion
                        (list :textDocument (issuebridge--text-document)
                              :position (issuebridge--lsp-position (point))))
                     (issuebridge-error nil)))
           (items (issuebridge--completion-items result))
           (details (make-hash-table :test #'equal))
           candidates)
      (dolist (item items)
        (let* ((edit (plist-get item :textEdit))
               (word (or (plist-get edit :newText) (plist-get item :insertText)
                         (plist-get item :label))))
          (when-let ((range (plist-get edit :range)))
            (setq start (issuebridge--buffer-position (plist-get range :start))))
          (puthash word (plist-get item :detail) details)
          (push word candidates)))
      (when candidates
        (setq candidates (nreverse candidates))
        (list start (point)
              ;; The agent's order (its own first, then a search), not sorted again.
              (lambda (string pred action)
                (if (eq action 'metadata)
                    '(metadata (display-sort-function . identity)
                               (cycle-sort-function . identity))
                  (complete-with-action action candidates string pred)))
              :annotation-function (lambda (word)
                                     (when-let ((detail (gethash word details)))
                                       (concat "  " detail)))
              :exclusive 'no)))))

;;;; Create an issue from a TODO

(defconst issuebridge--create-from-comment "issuebridge.createIssueFromComment")

(defun issuebridge--apply-edit (params)
  "Answer the agent's workspace/applyEdit (PARAMS): apply its text edits."
  (condition-case err
      (let ((edit (plist-get params :edit)) (documents nil))
        (cl-loop for change across (or (plist-get edit :documentChanges) [])
                 do (push (list (plist-get (plist-get change :textDocument) :uri)
                                (plist-get (plist-get change :textDocument) :version)
                                (plist-get change :edits))
                          documents))
        (cl-loop for (uri edits) on (plist-get edit :changes) by #'cddr
                 do (push (list (substring (symbol-name uri) 1) nil edits) documents))
        (dolist (document documents)
          (apply #'issuebridge--apply-text-edits document))
        (list :applied t))
    (error (list :applied :json-false :failureReason (error-message-string err)))))

(defun issuebridge--uri-buffer (uri)
  (or (cl-find-if (lambda (buffer)
                    (with-current-buffer buffer
                      (and buffer-file-name (equal (issuebridge--uri) uri))))
                  (buffer-list))
      (and (string-prefix-p "file://" uri)
           (find-file-noselect (url-unhex-string (substring uri (length "file://")))))
      (error "No buffer for %s" uri)))

(defun issuebridge--apply-text-edits (uri version edits)
  "Apply EDITS (LSP TextEdits) to the buffer of URI.
Refused unless the buffer is at VERSION, when given."
  (with-current-buffer (issuebridge--uri-buffer uri)
    (when (and (numberp version) issuebridge--keys-conn (/= version issuebridge--keys-version))
      (error "%s changed since (version %d, not %d)" (buffer-name) issuebridge--keys-version
             version))
    (let ((edits (mapcar (lambda (edit)
                           (let ((range (plist-get edit :range)))
                             (list (copy-marker (issuebridge--buffer-position (plist-get range :start)))
                                   (copy-marker (issuebridge--buffer-position (plist-get range :end)) t)
                                   (plist-get edit :newText))))
                         (append edits nil))))
      (save-excursion
        (save-restriction
          (widen)
          (pcase-dolist (`(,beg ,end ,text) edits)
            (goto-char beg)
            (delete-region beg end)
            (insert text)))))))

(add-to-list 'issuebridge-request-handlers (cons 'workspace/applyEdit #'issuebridge--apply-edit))

(defun issuebridge--line-range ()
  (list :start (issuebridge--lsp-position (line-beginning-position))
        :end (issuebridge--lsp-position (line-end-position))))

(defun issuebridge-create-issue-from-comment ()
  "Create an issue from the TODO or FIXME comment on this line.
The agent offers it as a code action; running its command creates the
issue (the comment's text as the summary, the file and line in the
description; it asks for the project when it cannot tell) and replaces the
comment's text with the new key.  Returns the agent's result (:issue,
:edited)."
  (interactive)
  (unless issuebridge-keys-mode (issuebridge-keys-mode 1))
  (issuebridge--user-errors
    (let* ((actions (issuebridge--keys-request
                     'textDocument/codeAction
                     (list :textDocument (issuebridge--text-document)
                           :range (issuebridge--line-range)
                           :context (list :diagnostics []))))
           (action (cl-find-if (lambda (a)
                                 (equal (plist-get (plist-get a :command) :command)
                                        issuebridge--create-from-comment))
                               actions))
           (command (plist-get action :command)))
      (unless command (user-error "No TODO or FIXME comment on this line to create an issue from"))
      (let* ((result (issuebridge--call (issuebridge--keys-open) 'workspace/executeCommand
                                        (list :command (plist-get command :command)
                                              :arguments (plist-get command :arguments))
                                        issuebridge-request-timeout))
             (issue (plist-get result :issue)))
        (issuebridge--say "issuebridge: created %s  %s%s" (plist-get issue :key)
                          (or (plist-get issue :title) "")
                          (if (eq (plist-get result :edited) t) ""
                            " (the line changed meanwhile: the key is not in it)"))
        result))))

;;;; The modes

;;;###autoload
(define-minor-mode issuebridge-keys-mode
  "Issue keys in this buffer, through the issuebridge agent.
Each key of a connected tracker is a button (RET or mouse-1 opens the issue),
eldoc shows the issue of the key at point, `completion-at-point' after CORE-
offers issues, and \\[issuebridge-create-issue-from-comment] creates an issue
from a TODO comment.  The buffer is kept in sync with the agent
\(didOpen/didChange/didClose)."
  :lighter " IB"
  (if issuebridge-keys-mode
      (if (not buffer-file-name)
          (progn (setq issuebridge-keys-mode nil)
                 (user-error "issuebridge-keys-mode works in file buffers"))
        (add-hook 'before-change-functions #'issuebridge--keys-before-change nil t)
        (add-hook 'after-change-functions #'issuebridge--keys-after-change nil t)
        (add-hook 'kill-buffer-hook #'issuebridge--keys-close nil t)
        (add-hook 'after-revert-hook #'issuebridge--keys-reopen nil t)
        (add-hook 'eldoc-documentation-functions #'issuebridge-keys-eldoc nil t)
        (add-hook 'completion-at-point-functions #'issuebridge-keys-completion-at-point nil t)
        (condition-case err
            (progn (issuebridge--keys-open)
                   (issuebridge--keys-refresh-links))
          (issuebridge-error
           (issuebridge--say "issuebridge: %s" (issuebridge-describe-error err))))
        (eldoc-mode 1))
    (remove-hook 'before-change-functions #'issuebridge--keys-before-change t)
    (remove-hook 'after-change-functions #'issuebridge--keys-after-change t)
    (remove-hook 'kill-buffer-hook #'issuebridge--keys-close t)
    (remove-hook 'after-revert-hook #'issuebridge--keys-reopen t)
    (remove-hook 'eldoc-documentation-functions #'issuebridge-keys-eldoc t)
    (remove-hook 'completion-at-point-functions #'issuebridge-keys-completion-at-point t)
    (when (timerp issuebridge--keys-timer) (cancel-timer issuebridge--keys-timer))
    (mapc #'delete-overlay (issuebridge--keys-links-overlays))
    (issuebridge--keys-close)))

(defun issuebridge--keys-turn-on ()
  (when (and buffer-file-name
             (not (minibufferp))
             (not (apply #'derived-mode-p issuebridge-keys-ignored-modes)))
    (issuebridge-keys-mode 1)))

;;;###autoload
(define-globalized-minor-mode issuebridge-global-keys-mode issuebridge-keys-mode
  issuebridge--keys-turn-on
  :group 'issuebridge)

(provide 'issuebridge-keys)
;;; issuebridge-keys.el ends here
