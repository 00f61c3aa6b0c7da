;;; issuebridge-keys-test.el --- ERT tests of issue keys in buffers  -*- lexical-binding: t; -*-

;;; Commentary:

;; Run by test/run.sh after issuebridge-test.el (whose agent and simulator helpers
;; these use): `issuebridge-keys-mode' against the real agent and the Jira
;; simulator.  Waits are for events (the agent's answers), with a bound.

;;; Code:

(require 'ert)
(require 'issuebridge-test)
(require 'issuebridge-keys)

(defun issuebridge-keys-test--issues (jql)
  "The issues JQL finds for alice, straight from the simulator's REST API:
a list of (KEY SUMMARY STATUS)."
  (mapcar (lambda (issue)
            (let ((fields (plist-get issue :fields)))
              (list (plist-get issue :key) (plist-get fields :summary)
                    (plist-get (plist-get fields :status) :name))))
          (plist-get (issuebridge-test--http
                      "GET" (concat "/rest/api/2/search?maxResults=5&fields=summary,status&jql="
                                    (url-hexify-string jql))
                      nil (issuebridge-test--token "alice"))
                     :issues)))

(defun issuebridge-keys-test--issue (key)
  "The summary of KEY, from the simulator's REST API."
  (plist-get (plist-get (issuebridge-test--http
                         "GET" (concat "/rest/api/2/issue/" key "?fields=summary")
                         nil (issuebridge-test--token "alice"))
                        :fields)
             :summary))

(defmacro issuebridge-keys-test--with-file (lines &rest body)
  "BODY in a buffer visiting a new file of LINES, `issuebridge-keys-mode' on."
  (declare (indent 1))
  `(let* ((file (make-temp-file "issuebridge-keys-" nil ".py"
                                (concat (string-join ,lines "\n") "\n")))
          (buffer (find-file-noselect file)))
     (unwind-protect
         (with-current-buffer buffer
           (issuebridge-keys-mode 1)
           ,@body)
       (when (buffer-live-p buffer)
         (with-current-buffer buffer (set-buffer-modified-p nil))
         (kill-buffer buffer))
       (delete-file file))))

(defun issuebridge-keys-test--buttons ()
  "The key buttons of this buffer: a list of (TEXT URL), in buffer order."
  (mapcar (lambda (o) (list (buffer-substring-no-properties (overlay-start o) (overlay-end o))
                            (overlay-get o 'issuebridge-url)))
          (sort (issuebridge--keys-links-overlays)
                (lambda (a b) (< (overlay-start a) (overlay-start b))))))

(ert-deftest issuebridge-keys-utf16-columns ()
  "LSP columns count UTF-16 code units: a character beyond the BMP counts two."
  (with-temp-buffer
    (insert "first\na🚀b ü CORE-1\n")
    (let ((key (save-excursion (goto-char (point-min)) (search-forward "CORE") (match-beginning 0))))
      (should (equal (issuebridge--lsp-position key) '(:line 1 :character 7)))
      (should (= (issuebridge--buffer-position '(:line 1 :character 7)) key))
      (should (= (issuebridge--buffer-position '(:line 1 :character 99)) (1- (point-max))))
      ;; The walker of a document's links: the same positions, in order or not.
      (let ((at (issuebridge--position-walker)))
        (should (= (funcall at '(:line 0 :character 2)) 3))
        (should (= (funcall at '(:line 1 :character 7)) key))
        (should (= (funcall at '(:line 0 :character 0)) 1))))))

(ert-deftest issuebridge-keys-buttons-follow-edits ()
  "A file's keys become buttons (RET opens the issue, `UTF-8' is none), and an edit
\(sent as an incremental didChange) moves them."
  (issuebridge-test--with-agent
    (issuebridge-test--configure-token "alice")
    (pcase-let* ((`((,key . ,_) (,second . ,_))
                  (issuebridge-keys-test--issues "project = WEB ORDER BY key ASC"))
                 (url (concat (issuebridge-test--simulator) "/browse/" key)))
      (issuebridge-keys-test--with-file (list "# notes: UTF-8 is no key" (concat "# see " key))
        (issuebridge-test--wait "the key's button" #'issuebridge-keys-test--buttons)
        (should (equal (issuebridge-keys-test--buttons) (list (list key url))))
        (goto-char (point-min))
        (search-forward key)
        (backward-char 2)
        (let* ((opened nil) (issuebridge-browse-url-function (lambda (u) (setq opened u))))
          (call-interactively (key-binding (kbd "RET")))
          (should (equal opened url)))
        ;; An edit before the key, with a character of two UTF-16 units.
        (goto-char (point-min))
        (insert "🚀 ünï " second "\n")
        (issuebridge-test--wait
         "the buttons after the edit"
         (lambda () (= (length (issuebridge-keys-test--buttons)) 2)))
        (should (equal (mapcar #'car (issuebridge-keys-test--buttons)) (list second key)))
        ;; Turned off: no buttons, the document closed.
        (issuebridge-keys-mode -1)
        (should-not (issuebridge-keys-test--buttons))
        (should-not issuebridge--keys-conn)))))

(ert-deftest issuebridge-keys-eldoc-shows-the-hover ()
  "eldoc shows the hover of the key at point: its title and status, no markdown."
  (issuebridge-test--with-agent
    (issuebridge-test--configure-token "alice")
    (pcase-let ((`((,key ,title ,status) . ,_)
                 (issuebridge-keys-test--issues "project = WEB ORDER BY key ASC")))
      (issuebridge-keys-test--with-file (list (concat "# see " key))
        (goto-char (point-min))
        (search-forward key)
        (backward-char 2)
        (let ((shown nil))
          (should (issuebridge-keys-eldoc (lambda (text &rest _) (setq shown text))))
          (issuebridge-test--wait "the hover in eldoc" (lambda () shown))
          (should (string-match-p (regexp-quote title) shown))
          (should (string-match-p (regexp-quote status) shown))
          (should (string-match-p (regexp-quote key) shown))
          (should-not (string-match-p "\\*\\*" shown)))
        (should (equal (issuebridge-describe-key-at-point)
                       (let ((shown nil))
                         (issuebridge-keys-eldoc (lambda (text &rest _) (setq shown text)))
                         (issuebridge-test--wait "eldoc again" (lambda () shown)))))))))

(ert-deftest issuebridge-keys-create-issue-from-a-todo ()
  "The code action on a TODO line: the agent creates the issue and replaces the
comment's text with its key through workspace/applyEdit, answered by this client."
  (issuebridge-test--with-agent
    (issuebridge-test--configure-token "alice")
    (let ((key (car (car (issuebridge-keys-test--issues "project = WEB ORDER BY key ASC")))))
      (issuebridge-keys-test--with-file (list (concat "# about " key) "def load():"
                                              "    # TODO: rework the cache" "    pass")
        (goto-char (point-min))
        (forward-line 2)
        (let* ((result (issuebridge-create-issue-from-comment))
               (created (plist-get (plist-get result :issue) :key)))
          (should (eq (plist-get result :edited) t))
          (should (string-prefix-p "WEB-" created))
          (should (equal (buffer-substring-no-properties (line-beginning-position)
                                                         (line-end-position))
                         (concat "    # TODO: " created)))
          (should (equal (issuebridge-keys-test--issue created) "rework the cache"))
          (should (cl-some (lambda (m) (string-match-p (concat "created " created) m))
                           messages))
          ;; The agent has the edited text: the new key is a button too.
          (issuebridge-test--wait
           "the new key's button"
           (lambda () (member created (mapcar #'car (issuebridge-keys-test--buttons))))))
        (goto-char (point-min))
        (should-error (issuebridge-create-issue-from-comment) :type 'user-error)))))

(ert-deftest issuebridge-keys-create-issue-asks-the-project ()
  "A file that names no project: the agent asks which (window/showMessageRequest),
Emacs answers with the button picked, and the issue is created there."
  (issuebridge-test--with-agent
    (issuebridge-test--configure-token "alice")
    (issuebridge-keys-test--with-file (list "// FIXME: the cache forgets" "int x;")
      (goto-char (point-min))
      (let* ((asked nil)
             (result
              (cl-letf (((symbol-function 'completing-read)
                         (lambda (prompt titles &rest _)
                           (push prompt asked)
                           (cl-find-if (lambda (title) (string-match-p "\\bWEB\\b" title))
                                       titles))))
                (issuebridge-create-issue-from-comment)))
             (created (plist-get (plist-get result :issue) :key)))
        (should asked)
        (should (string-prefix-p "WEB-" created))
        (should (equal (buffer-substring-no-properties (point-min) (line-end-position))
                       (concat "// FIXME: " created)))
        (should (equal (issuebridge-keys-test--issue created) "the cache forgets"))))))

(ert-deftest issuebridge-keys-completion-after-the-project-key ()
  "`completion-at-point' after WEB-: the agent's issues of WEB, their titles beside."
  (issuebridge-test--with-agent
    (issuebridge-test--configure-token "alice")
    (issuebridge-keys-test--with-file (list "# see ")
      (goto-char (point-min))
      (end-of-line)
      (insert "WEB-")
      (let* ((capf (issuebridge-keys-completion-at-point))
             (candidates (all-completions "" (nth 2 capf))))
        (should capf)
        (should (= (nth 0 capf) (- (point) 4)))
        (should candidates)
        (should (cl-every (lambda (c) (string-prefix-p "WEB-" c)) candidates))
        (should (string-match-p "\\S-" (funcall (plist-get (nthcdr 3 capf) :annotation-function)
                                                (car candidates))))))))

(ert-deftest issuebridge-keys-global-mode-in-file-buffers ()
  "`issuebridge-global-keys-mode' turns the mode on in a file's buffer, not in
one without a file; killing the buffer closes the document."
  (issuebridge-test--with-agent
    (issuebridge-test--configure-token "alice")
    (let* ((key (car (car (issuebridge-keys-test--issues "project = WEB ORDER BY key ASC"))))
           (file (make-temp-file "issuebridge-global-" nil ".txt" (concat "See " key "\n"))))
      (unwind-protect
          (progn
            (issuebridge-global-keys-mode 1)
            (with-current-buffer (find-file-noselect file)
              (should issuebridge-keys-mode)
              (issuebridge-test--wait "the key's button" #'issuebridge-keys-test--buttons)
              (should (equal (mapcar #'car (issuebridge-keys-test--buttons)) (list key)))
              (let ((uri (issuebridge--uri)))
                (kill-buffer)
                ;; Closed in the agent: it has no links for it any more.
                (should (equal (issuebridge-request "textDocument/documentLink"
                                                    (list :textDocument (list :uri uri)))
                               []))))
            (with-current-buffer (get-buffer-create "*issuebridge no file*")
              (fundamental-mode)
              (should-not issuebridge-keys-mode)
              (kill-buffer)))
        (issuebridge-global-keys-mode -1)
        (delete-file file)))))

(provide 'issuebridge-keys-test)
;;; issuebridge-keys-test.el ends here
