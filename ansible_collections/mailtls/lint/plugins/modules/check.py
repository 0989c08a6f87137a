#!/usr/bin/python
# Copyright: mailtls-lint developers
# MIT License (see LICENSE in the repository)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: check
short_description: Lint Postfix and Dovecot configuration files on the managed host
version_added: "0.1.0"
description:
  - Lints Postfix (C(main.cf), C(master.cf)) and Dovecot configuration files on the managed
    host with mailtls-lint, for TLS and authentication mistakes such as
    C(smtpd_tls_wrappermode = yes) in C(main.cf).
  - Fails the task when a finding is at or above O(fail_level); findings below it are shown as
    warnings. All findings are returned under RV(findings).
  - Never changes anything, so it never reports C(changed), and it runs the same in check mode.
  - To lint a template on the controller before it is copied, see
    M(mailtls.lint.template_check) and the P(mailtls.lint.findings#filter) filter.
requirements:
  - The C(mailtls-lint) Python package (C(pip install mailtls-lint)) in the managed host's
    Python (C(ansible_python_interpreter)).
options:
  paths:
    description:
      - Files or directories to lint. A directory stands for the C(main.cf), C(master.cf)
        and C(dovecot.conf) in it, for example C(/etc/postfix) and C(/etc/dovecot).
      - C(main.cf) and C(master.cf) in one directory are linted together; a C(dovecot.conf)
        is read with the files its C(!include) lines name.
    type: list
    elements: path
    required: true
  type:
    description:
      - The type of every file in O(paths), for files whose name does not tell it.
      - Directories are read by the names of the files in them whatever this says.
    type: str
    choices: [postfix-main, postfix-master, dovecot]
  postfix_version:
    description:
      - The Postfix release to judge against, such as C(3.7). The default is the newest
        release the linter knows.
    type: str
  dovecot_version:
    description:
      - The Dovecot release to judge against, such as C(2.3.19). It also chooses the
        configuration syntax (1.x, 2.0-2.3 or 2.4). The default is taken from the files.
    type: str
  fail_level:
    description:
      - The lowest severity that fails the task.
    type: str
    choices: [error, warning, info]
    default: warning
  select:
    description:
      - Only run rules whose code starts with one of these, such as C(PF1) or C(DV).
    type: list
    elements: str
    default: []
  ignore:
    description:
      - Skip rules whose code starts with one of these, such as C(PF002).
    type: list
    elements: str
    default: []
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode).
    support: none
notes:
  - >-
    The C(validate) option of M(ansible.builtin.template) and M(ansible.builtin.copy) can run
    the command line instead, C(validate: 'mailtls-lint --type postfix-main %s'); it is
    skipped in check mode.
seealso:
  - module: mailtls.lint.template_check
author:
  - mailtls-lint developers
"""

EXAMPLES = r"""
- name: Lint the mail server's configuration
  mailtls.lint.check:
    paths:
      - /etc/postfix
      - /etc/dovecot

- name: Lint main.cf for Postfix 3.5, failing only on errors
  mailtls.lint.check:
    paths: [/etc/postfix/main.cf]
    postfix_version: "3.5"
    fail_level: error
    ignore: [PF002]
  register: lint

- name: Show what was found
  ansible.builtin.debug:
    msg: "{{ lint.findings | map(attribute='message') | list }}"
"""

RETURN = r"""
findings:
  description:
    - Every finding, sorted by file, line, column and code, with the fields of the
      C(mailtls-lint --format json) output.
  returned: always
  type: list
  elements: dict
  contains:
    code:
      description: The rule's code.
      type: str
      sample: PF101
    name:
      description: The rule's name.
      type: str
      sample: wrappermode-in-main-cf
    severity:
      description: C(error), C(warning) or C(info).
      type: str
      sample: error
    message:
      description: What is wrong and what it causes.
      type: str
    file:
      description: The file, as given or as found in a directory.
      type: str
      sample: /etc/postfix/main.cf
    line:
      description: 1-based line of the start.
      type: int
    column:
      description: 1-based column of the start, in bytes.
      type: int
    end_line:
      description: 1-based line of the end.
      type: int
    end_column:
      description: 1-based column just past the end (exclusive).
      type: int
    notes:
      description: Related places, each with a C(message) and, when it has a place, the location fields.
      type: list
      elements: dict
    hint:
      description: What to do about it.
      type: str
    fix:
      description: Edits that fix it (C(description), C(applicability), C(edits)), or null.
      type: dict
failing:
  description: How many findings are at or above O(fail_level).
  returned: always
  type: int
  sample: 0
msg:
  description: A summary, listing the findings that failed the task.
  returned: always
  type: str
"""

import traceback

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

try:
    import mailtls_lint
except ImportError:
    mailtls_lint = None
    IMPORT_ERROR = traceback.format_exc()
else:
    IMPORT_ERROR = None

from ansible_collections.mailtls.lint.plugins.module_utils.findings import (
    failure_message,
    format_finding,
)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            paths=dict(type="list", elements="path", required=True),
            type=dict(type="str", choices=["postfix-main", "postfix-master", "dovecot"]),
            postfix_version=dict(type="str"),
            dovecot_version=dict(type="str"),
            fail_level=dict(type="str", choices=["error", "warning", "info"], default="warning"),
            select=dict(type="list", elements="str", default=[]),
            ignore=dict(type="list", elements="str", default=[]),
        ),
        supports_check_mode=True,
    )
    if mailtls_lint is None:
        module.fail_json(msg=missing_required_lib("mailtls-lint"), exception=IMPORT_ERROR)

    p = module.params
    try:
        findings = mailtls_lint.lint_paths(
            p["paths"],
            type=p["type"],
            postfix_version=p["postfix_version"],
            dovecot_version=p["dovecot_version"],
            select=p["select"],
            ignore=p["ignore"],
        )
    except mailtls_lint.Error as e:
        module.fail_json(msg=str(e), findings=[], failing=0)

    failing = set(id(f) for f in mailtls_lint.failing(findings, p["fail_level"]))
    as_dicts = [f.to_dict() for f in findings]
    failed = [format_finding(d) for f, d in zip(findings, as_dicts) if id(f) in failing]
    for f, d in zip(findings, as_dicts):
        if id(f) not in failing:
            module.warn(format_finding(d))
    if failed:
        module.fail_json(
            msg=failure_message(failed, p["fail_level"], len(findings)),
            findings=as_dicts,
            failing=len(failed),
            changed=False,
        )
    module.exit_json(
        changed=False,
        findings=as_dicts,
        failing=0,
        msg="%d finding(s), none at or above fail_level '%s'" % (len(findings), p["fail_level"]),
    )


if __name__ == "__main__":
    main()
