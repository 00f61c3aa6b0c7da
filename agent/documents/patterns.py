"""The patterns of issue keys in text, compiled once.

- project keys `PRJ-12`: an uppercase letter, then letters, digits or `_`; a dash; a
  number without a leading zero. Not preceded by a word character or `-` (`x-PRJ-1`,
  `aPRJ-1`), not followed by a word character (`PRJ-12a`); `CORE-12-login` (a branch
  name) still holds CORE-12. Whether the prefix is a project is the resolver's call
  (`UTF-8` and `SHA-256` match here and are never keys).
- repository refs `owner/repo#12`, `group/sub/project#12`: never inside a URL or a
  path (`https://github.com/a/b#12`: the match would start after `/` or `.`).
- short refs `#12`: not after a word character, `&` (`&#12;`), `/` or `.`.
"""

import re

PROJECT_KEY = re.compile(r"(?<![\w-])([A-Z][A-Z0-9_]*)-([1-9][0-9]{0,9})(?!\w)")
_SEGMENT = r"[A-Za-z0-9][A-Za-z0-9_.-]*"
REPOSITORY_REF = re.compile(
    rf"(?<![\w./:@#&-])({_SEGMENT}(?:/{_SEGMENT})+)#([1-9][0-9]{{0,9}})(?!\w)"
)
SHORT_REF = re.compile(r"(?<![\w&#/.:-])#([1-9][0-9]{0,9})(?!\w)")
