#!/usr/bin/python
# Copyright: mailtls-lint developers
# MIT License (see LICENSE in the repository)

# The work is done on the controller by the action plugin plugins/action/template_check.py;
# as with ansible.builtin.template, this file holds the task's documentation for ansible-doc.

from __future__ import annotations

DOCUMENTATION = r"""
---
module: template_check
short_description: Render a template, lint it with mailtls-lint, and copy it only when it passes
version_added: "0.1.0"
description:
  - Renders O(src) on the controller as M(ansible.builtin.template) does, lints the result
    with mailtls-lint, and fails the task when a finding is at or above O(fail_level), before
    anything reaches the host.
  - Each finding is reported at its line in the rendered file and, where it can be told, at
    the template line it came from (RV(findings[].template_line)).
  - With O(dest), the linted text is then copied with M(ansible.builtin.copy); every other
    option of that module (C(owner), C(mode), C(backup), C(validate), ...) is passed on.
    Without O(dest) the task only checks.
  - Unlike C(validate), it runs in check mode, and it needs the C(mailtls-lint) Python
    package only on the controller.
requirements:
  - The C(mailtls-lint) Python package in the controller's Python.
options:
  src:
    description: The template, found as M(ansible.builtin.template) finds it.
    type: path
    required: true
  dest:
    description: Where to copy the rendered file on the host; left out, nothing is copied.
    type: path
  type:
    description:
      - C(postfix-main), C(postfix-master) or C(dovecot). Left out, it is guessed from the
        name of O(dest) (or O(src) without C(.j2)), or else from the rendered text.
    type: str
    choices: [postfix-main, postfix-master, dovecot]
  postfix_version:
    description: The Postfix release to judge against, such as C(3.7).
    type: str
  dovecot_version:
    description: The Dovecot release to judge against, such as C(2.3.19).
    type: str
  fail_level:
    description: The lowest severity that fails the task; lower ones are warnings.
    type: str
    choices: [error, warning, info]
    default: warning
  select:
    description: Only run rules whose code starts with one of these.
    type: list
    elements: str
  ignore:
    description: Skip rules whose code starts with one of these.
    type: list
    elements: str
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode).
    support: full
extends_documentation_fragment:
  - ansible.builtin.files
seealso:
  - module: mailtls.lint.check
  - module: ansible.builtin.template
author:
  - mailtls-lint developers
"""

EXAMPLES = r"""
- name: Deploy main.cf only when mailtls-lint finds no error or warning in it
  mailtls.lint.template_check:
    src: main.cf.j2
    dest: /etc/postfix/main.cf
    postfix_version: "3.7"
    mode: "0644"
  notify: reload postfix

- name: Only check a template (works in check mode too)
  mailtls.lint.template_check:
    src: dovecot.conf.j2
    type: dovecot
    fail_level: error
"""

RETURN = r"""
findings:
  description:
    - The findings in the rendered text, with the fields of C(mailtls-lint --format json)
      (C(line) is the rendered line) plus C(template) (O(src)) and C(template_line) (the
      template line it came from, or null when that cannot be told).
  returned: always
  type: list
  elements: dict
failing:
  description: How many findings are at or above O(fail_level).
  returned: always
  type: int
msg:
  description: The findings that failed the task, each as C(template:line (rendered file:line:column)).
  returned: on failure
  type: str
"""
