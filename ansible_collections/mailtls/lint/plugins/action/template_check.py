# Copyright: mailtls-lint developers
# MIT License (see LICENSE in the repository)
"""The mailtls.lint.template_check action: render a template on the controller, lint the
result, and copy it to the host only when it passes (documented in
plugins/modules/template_check.py, as Ansible documents action plugins)."""

from __future__ import annotations

import os
import shutil
import tempfile

from ansible import constants as C
from ansible.errors import AnsibleError
from ansible.module_utils.common.text.converters import to_bytes, to_text
from ansible.plugins.action import ActionBase

from ansible_collections.mailtls.lint.plugins.module_utils.findings import (
    failure_message,
    format_finding,
    template_lines,
)

try:
    import mailtls_lint
except ImportError:
    mailtls_lint = None

_LINT_ARGS = ("type", "postfix_version", "dovecot_version", "fail_level", "select", "ignore")
_LEVELS = ("error", "warning", "info")


class ActionModule(ActionBase):
    TRANSFERS_FILES = True

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super().run(tmp, task_vars)
        del tmp
        try:
            return self._run(result, task_vars)
        finally:
            self._remove_tmp_path(self._connection._shell.tmpdir)

    def _run(self, result, task_vars):
        args = dict(self._task.args)
        lint = {k: args.pop(k, None) for k in _LINT_ARGS}
        fail_level = lint["fail_level"] or "warning"
        src = args.get("src")
        dest = args.get("dest")
        result.update(changed=False, findings=[], failing=0)
        if mailtls_lint is None:
            return dict(result, failed=True, msg="mailtls.lint.template_check needs the "
                        "mailtls-lint Python package on the controller (pip install mailtls-lint)")
        if not src:
            return dict(result, failed=True, msg="src is required")
        if fail_level not in _LEVELS:
            return dict(result, failed=True, msg="fail_level must be one of error, warning, info")
        try:
            source = self._find_needle("templates", src)
            template = to_text(self._loader.get_text_file_contents(source))
            lookup = self._shared_loader_obj.lookup_loader.get(
                "ansible.builtin.template", loader=self._loader, templar=self._templar)
            rendered = to_text(lookup.run([source], variables=task_vars)[0])
        except AnsibleError as e:
            return dict(result, failed=True, msg="cannot render %s: %s" % (src, to_text(e)))

        name = os.path.basename(dest) if dest else os.path.basename(src)
        if not dest and name.endswith(".j2"):
            name = name[:-3]
        try:
            found = mailtls_lint.lint_text(
                rendered, lint["type"], lint["postfix_version"], lint["dovecot_version"], name,
                select=lint["select"] or (), ignore=lint["ignore"] or ())
            failing = set(id(f) for f in mailtls_lint.failing(found, fail_level))
        except mailtls_lint.Error as e:
            return dict(result, failed=True, msg=str(e))

        origins = template_lines(template, rendered)
        findings, failed = [], []
        for f in found:
            d = f.to_dict()
            d["template"] = src
            d["template_line"] = origins[f.line - 1] if 0 < f.line <= len(origins) else None
            findings.append(d)
            where = "%s:%s (rendered %s:%s:%s)" % (
                src, d["template_line"] or "?", name, d["line"], d["column"])
            text = format_finding(d, where)
            if id(f) in failing:
                failed.append(text)
            else:
                result.setdefault("warnings", []).append(text)
        result.update(findings=findings, failing=len(failed))
        if failed:
            return dict(result, failed=True, msg=failure_message(failed, fail_level, len(found)))
        if not dest:
            result["msg"] = "%d finding(s), none at or above fail_level '%s'" % (
                len(found), fail_level)
            return result
        return self._copy(result, args, rendered, task_vars)

    def _copy(self, result, args, rendered, task_vars):
        """Copies the text that was linted with ansible.builtin.copy (which handles check
        mode, diff, backup, owner, mode and validate)."""
        local_tempdir = tempfile.mkdtemp(dir=C.DEFAULT_LOCAL_TMP)
        try:
            rendered_file = os.path.join(local_tempdir, os.path.basename(args["dest"]))
            with open(to_bytes(rendered_file), "wb") as f:
                f.write(to_bytes(rendered))
            new_task = self._task.copy()
            new_task.args = dict(args, src=rendered_file)
            copy_action = self._shared_loader_obj.action_loader.get(
                "ansible.legacy.copy", task=new_task, connection=self._connection,
                play_context=self._play_context, loader=self._loader, templar=self._templar,
                shared_loader_obj=self._shared_loader_obj)
            copied = copy_action.run(task_vars=task_vars)
        finally:
            shutil.rmtree(to_bytes(local_tempdir), ignore_errors=True)
        warnings = result.get("warnings", []) + copied.get("warnings", [])
        merged = dict(copied, findings=result["findings"], failing=0)
        if warnings:
            merged["warnings"] = warnings
        return merged
