// The syntax trees as read-only Python objects. Each C++ tree borrows its source's bytes;
// here it is copied, without the GIL, into plain structs that own their text (as valid
// UTF-8) and carry spans with lines and columns, so a Python tree outlives nothing.
//
// Adding a dialect: a `py_*` struct per node, a `convert` overload that fills it, a class
// registration in register_ast(), a branch in parse(), and the stubs in _core.pyi.

#include <pybind11/stl.h>

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "bind.hpp"
#include "mailtls/parse.hpp"

namespace mailtls::python {

namespace {

/// A byte range with the lines and columns of its ends and its text.
struct py_span {
    std::uint32_t begin = 0, end = 0;
    std::uint32_t line = 0, column = 0, end_line = 0, end_column = 0;
    std::string text;
};

struct py_problem {
    std::string message;
    py_span span;
};

struct py_comment {
    std::string text;
    py_span span;
};

struct py_value_part;

struct py_value_operand {
    py_span span;
    bool braced = false;
    std::vector<py_value_part> parts;
};

struct py_value_part {
    std::string kind, text, style, name, op;
    py_span span, name_span, op_span;
    std::optional<py_value_operand> when_true, when_false, left, right;
    bool level_comparison = false;
};

struct py_main_parameter {
    std::string name, value;
    py_span name_span, value_span, span;
    std::vector<py_span> value_pieces;
    std::vector<py_value_part> parts;
    std::vector<py_problem> value_problems;
};

struct py_main_cf {
    std::string path;
    std::vector<py_main_parameter> parameters;
    std::vector<py_comment> comments;
    std::vector<py_span> orphan_lines;
    std::vector<py_problem> errors;
};

struct py_word {
    std::string text;
    py_span span;
    std::vector<py_span> pieces;
};

struct py_flag {
    py_word word;
    std::string value;
};

struct py_argument {
    py_word word;
    std::string kind, value;
    bool braced = false;
};

struct py_override {
    std::string form, problem, name, value;
    std::size_t option_index = 0, value_index = 0;
    py_span option_span, span, name_span, value_span;
    std::vector<py_span> value_pieces;
    std::vector<py_value_part> parts;
    std::vector<py_problem> value_problems;
};

struct py_service {
    py_word service, type_word, wakeup, process_limit, command;
    std::string type, host, port;
    py_flag private_flag, unprivileged_flag, chroot_flag;
    std::vector<py_argument> arguments;
    std::vector<py_override> overrides;
    py_span host_span, port_span, span;
};

struct py_master_cf {
    std::string path;
    std::vector<py_service> services;
    std::vector<py_comment> comments;
    std::vector<py_span> orphan_lines;
    std::vector<py_problem> errors;
};

struct py_dovecot_reference {
    std::string kind, name;
    py_span span;
    bool starts_value = false;
};

struct py_dovecot_setting {
    std::string key, value, quote;
    py_span key_span, value_span, span;
    std::vector<py_span> value_pieces;
    bool file = false;
    std::optional<py_span> file_path_span;
    std::vector<py_dovecot_reference> references;
    std::uint32_t section = 0;
    std::vector<std::string> scope;
};

struct py_dovecot_include {
    bool try_only = false;
    std::string pattern;
    py_span pattern_span, span;
    std::uint32_t section = 0;
};

struct py_dovecot_child {
    std::string kind;
    std::uint32_t index = 0;
};

struct py_dovecot_section {
    std::string type, name, kind;
    bool has_name = false;
    py_span type_span, name_span, header_span;
    std::optional<py_span> close_span;
    std::uint32_t parent = 0, depth = 0;
    std::vector<py_dovecot_child> children;
};

struct py_dovecot_conf {
    std::string path, syntax;
    std::vector<py_dovecot_section> sections;
    std::vector<py_dovecot_setting> settings;
    std::vector<py_dovecot_include> includes;
    std::vector<py_comment> comments;
    std::vector<py_problem> errors;
};

/// Fills spans from byte ranges of one source.
class converter {
public:
    explicit converter(const source_file& source) : source_(source) {}

    [[nodiscard]] py_span span(byte_range r) const {
        const auto b = source_.position_of(r.begin);
        const auto e = source_.position_of(r.end);
        return {r.begin, r.end, b.line, b.column, e.line, e.column,
                python_text(source_.slice(r))};
    }

    [[nodiscard]] std::vector<py_span> spans(std::span<const byte_range> ranges) const {
        std::vector<py_span> out;
        out.reserve(ranges.size());
        for (const auto& r : ranges) {
            out.push_back(span(r));
        }
        return out;
    }

    [[nodiscard]] py_problem problem(const ast::syntax_error& e) const {
        return {python_text(e.message), span(e.range)};
    }

    template <typename Container>
    [[nodiscard]] std::vector<py_problem> problems(const Container& errors) const {
        std::vector<py_problem> out;
        for (const auto& e : errors) {
            out.push_back(problem(e));
        }
        return out;
    }

    [[nodiscard]] std::vector<py_comment> comments(const std::vector<ast::comment>& in) const {
        std::vector<py_comment> out;
        for (const auto& c : in) {
            out.push_back({python_text(c.text), span(c.range)});
        }
        return out;
    }

    [[nodiscard]] const source_file& source() const noexcept { return source_; }

private:
    const source_file& source_;
};

/// Maps offsets into a value (which may span continuation lines) back to the source.
class value_mapper {
public:
    value_mapper(const converter& conv, std::function<std::uint32_t(std::size_t)> to_source)
        : conv_(conv), to_source_(std::move(to_source)) {}

    [[nodiscard]] py_span span(byte_range r) const {
        const auto begin = to_source_(r.begin);
        return conv_.span({begin, r.empty() ? begin : to_source_(r.end - 1) + 1});
    }

    [[nodiscard]] std::vector<py_problem> problems(
        const std::vector<ast::syntax_error>& errors) const {
        std::vector<py_problem> out;
        for (const auto& e : errors) {
            out.push_back({python_text(e.message), span(e.range)});
        }
        return out;
    }

    // The parser limits the nesting of expressions (100 levels), which bounds this recursion.
    [[nodiscard]] std::vector<py_value_part> parts(const std::vector<ast::value_part>& in) const {
        std::vector<py_value_part> out;
        for (const auto& p : in) {
            py_value_part part;
            part.kind = kind_name(p.kind);
            part.text = python_text(p.text());
            part.style = p.style == ast::reference_style::bare     ? "bare"
                         : p.style == ast::reference_style::braces ? "braces"
                                                                   : "parentheses";
            part.name = python_text(p.name());
            part.span = span(p.range);
            part.name_span = span(p.name_range);
            if (p.kind == ast::value_part_kind::comparison) {
                part.op = operator_name(p.op);
                part.op_span = span(p.op_range());
            }
            part.level_comparison = p.level_comparison;
            part.when_true = operand(p.when_true());
            part.when_false = operand(p.when_false());
            part.left = operand(p.left());
            part.right = operand(p.right());
            out.push_back(std::move(part));
        }
        return out;
    }

private:
    [[nodiscard]] std::optional<py_value_operand> operand(
        const std::optional<ast::value_operand>& o) const {
        if (!o) {
            return std::nullopt;
        }
        return py_value_operand{span(o->range), o->braced, parts(o->parts)};
    }

    static const char* kind_name(ast::value_part_kind k) {
        switch (k) {
            case ast::value_part_kind::literal: return "literal";
            case ast::value_part_kind::dollar: return "dollar";
            case ast::value_part_kind::reference: return "reference";
            case ast::value_part_kind::conditional: return "conditional";
            case ast::value_part_kind::comparison: return "comparison";
            case ast::value_part_kind::function_call: return "function_call";
        }
        return "literal";
    }

    static const char* operator_name(ast::comparison_operator op) {
        switch (op) {
            case ast::comparison_operator::equal: return "==";
            case ast::comparison_operator::not_equal: return "!=";
            case ast::comparison_operator::less: return "<";
            case ast::comparison_operator::less_equal: return "<=";
            case ast::comparison_operator::greater: return ">";
            case ast::comparison_operator::greater_equal: return ">=";
        }
        return "==";
    }

    const converter& conv_;
    std::function<std::uint32_t(std::size_t)> to_source_;
};

py_main_cf convert(const source_file& source, const ast::main_cf& tree) {
    const converter conv(source);
    py_main_cf out{python_text(source.path()), {}, conv.comments(tree.comments),
                   conv.spans(tree.orphan_lines), conv.problems(tree.errors)};
    for (const auto& p : tree.parameters) {
        const value_mapper values(conv, [&p](std::size_t at) { return p.source_offset(at); });
        const auto parsed = parse_postfix_value(p.value);
        out.parameters.push_back({python_text(p.name), python_text(p.value),
                                  conv.span(p.name_range), conv.span(p.value_range),
                                  conv.span(p.range), conv.spans(p.value_pieces),
                                  values.parts(parsed.parts), values.problems(parsed.errors)});
    }
    return out;
}

py_word convert(const converter& conv, const ast::master_cf_word& w) {
    return {python_text(w.text), conv.span(w.range), conv.spans(w.pieces)};
}

py_flag convert(const converter& conv, const ast::master_cf_flag& f) {
    return {convert(conv, f.word), f.value == 0 ? std::string() : std::string(1, f.value)};
}

py_master_cf convert(const source_file& source, const ast::master_cf& tree) {
    const converter conv(source);
    py_master_cf out{python_text(source.path()), {}, conv.comments(tree.comments),
                     conv.spans(tree.orphan_lines), conv.problems(tree.errors)};
    for (const auto& e : tree.entries) {
        py_service s;
        s.service = convert(conv, e.service);
        s.type_word = convert(conv, e.type_word);
        s.type = e.type == ast::master_service_type::unknown ? "" : std::string(to_string(e.type));
        s.private_flag = convert(conv, e.private_flag);
        s.unprivileged_flag = convert(conv, e.unprivileged_flag);
        s.chroot_flag = convert(conv, e.chroot_flag);
        s.wakeup = convert(conv, e.wakeup);
        s.process_limit = convert(conv, e.process_limit);
        s.command = convert(conv, e.command);
        for (const auto& a : e.arguments) {
            s.arguments.push_back(
                {convert(conv, a.word),
                 a.kind == ast::master_cf_argument_kind::option         ? "option"
                 : a.kind == ast::master_cf_argument_kind::option_value ? "option_value"
                                                                        : "operand",
                 python_text(a.value), a.braced});
        }
        for (const auto& o : e.overrides) {
            const value_mapper values(conv, [&o](std::size_t at) { return o.source_offset(at); });
            const auto parsed = parse_postfix_value(o.value);
            py_override po;
            po.form = o.form == ast::master_cf_override_form::separate ? "separate"
                      : o.form == ast::master_cf_override_form::joined ? "joined"
                                                                       : "braced";
            po.problem = python_text(o.problem);
            po.name = python_text(o.name);
            po.value = python_text(o.value);
            po.option_index = o.option_index;
            po.value_index = o.value_index;
            po.option_span = conv.span(o.option_range);
            po.span = conv.span(o.range);
            po.name_span = conv.span(o.name_range);
            po.value_span = conv.span(o.value_range);
            po.value_pieces = conv.spans(o.value_pieces);
            if (o.usable()) {
                po.parts = values.parts(parsed.parts);
                po.value_problems = values.problems(parsed.errors);
            }
            s.overrides.push_back(std::move(po));
        }
        s.host = python_text(e.host);
        s.port = python_text(e.port);
        s.host_span = conv.span(e.host_range);
        s.port_span = conv.span(e.port_range);
        s.span = conv.span(e.range);
        out.services.push_back(std::move(s));
    }
    return out;
}

const char* section_kind_name(ast::dovecot_section_kind k) {
    switch (k) {
        case ast::dovecot_section_kind::root: return "root";
        case ast::dovecot_section_kind::filter: return "filter";
        case ast::dovecot_section_kind::named: return "named";
        case ast::dovecot_section_kind::unnamed: return "unnamed";
    }
    return "unnamed";
}

py_dovecot_conf convert(const source_file& source, const ast::dovecot_file& tree) {
    const converter conv(source);
    py_dovecot_conf out;
    out.path = python_text(source.path());
    out.syntax = std::string(to_string(tree.syntax));
    out.comments = conv.comments(tree.comments);
    out.errors = conv.problems(tree.errors);
    std::vector<std::string> headers;  // "type name" of each section, for scopes
    for (const auto& s : tree.sections) {
        py_dovecot_section ps;
        ps.type = python_text(s.type);
        ps.name = python_text(s.name);
        ps.kind = section_kind_name(s.kind);
        ps.has_name = s.has_name;
        ps.type_span = conv.span(s.type_range);
        ps.name_span = conv.span(s.name_range);
        ps.header_span = conv.span(s.header_range);
        if (!(s.close_range.begin == 0 && s.close_range.end == 0)) {
            ps.close_span = conv.span(s.close_range);
        }
        ps.parent = s.parent;
        ps.depth = s.depth;
        for (const auto& c : s.children) {
            ps.children.push_back(
                {c.kind == ast::dovecot_section::entry_kind::setting   ? "setting"
                 : c.kind == ast::dovecot_section::entry_kind::section ? "section"
                                                                       : "include",
                 c.index});
        }
        headers.push_back(s.has_name ? ps.type + " " + ps.name : ps.type);
        out.sections.push_back(std::move(ps));
    }
    for (const auto& s : tree.settings) {
        py_dovecot_setting ps;
        ps.key = python_text(tree.key(s));
        ps.value = python_text(tree.text(s));
        ps.quote = s.value.quote == 0 ? std::string() : std::string(1, s.value.quote);
        ps.key_span = conv.span(s.key_range);
        ps.value_span = conv.span(s.value.range);
        ps.span = conv.span(s.range());
        ps.value_pieces = conv.spans(tree.pieces(s));
        ps.file = s.value.file;
        if (s.value.file) {
            ps.file_path_span = conv.span(tree.file_path_range(s));
        }
        for (const auto& r : tree.references(s)) {
            ps.references.push_back(
                {r.kind == ast::dovecot_reference::kind_type::setting       ? "setting"
                 : r.kind == ast::dovecot_reference::kind_type::environment ? "environment"
                                                                            : "literal",
                 python_text(r.name), conv.span(r.range), r.starts_value});
        }
        ps.section = s.section;
        // walk up to the root without recursion; depth bounds the walk
        for (auto at = s.section; at != 0 && at < tree.sections.size();
             at = tree.sections[at].parent) {
            ps.scope.insert(ps.scope.begin(), headers[at]);
            if (ps.scope.size() > tree.sections.size()) {
                break;  // a malformed parent chain; never loop forever
            }
        }
        out.settings.push_back(std::move(ps));
    }
    for (const auto& i : tree.includes) {
        out.includes.push_back({i.try_only, python_text(i.pattern), conv.span(i.pattern_range),
                                conv.span(i.range), i.section});
    }
    return out;
}

using py_document = std::variant<py_main_cf, py_master_cf, py_dovecot_conf>;

py_document parse_text(std::string text, config_type type, std::string path,
                       std::optional<version> dovecot_version) {
    const source_file source(std::move(path), std::move(text));
    switch (type) {
        case config_type::postfix_main: return convert(source, parse_postfix_main(source));
        case config_type::postfix_master: return convert(source, parse_postfix_master(source));
        case config_type::dovecot:
            return convert(source, parse_dovecot(source, dovecot_version
                                                             ? ast::dovecot_parse_options::
                                                                   for_version(*dovecot_version)
                                                             : ast::dovecot_parse_options{}));
    }
    return convert(source, parse_postfix_main(source));
}

/// A read-only property that gives a vector member as a tuple of views into the node.
template <typename C, typename E>
void def_tuple(py::class_<C>& cls, const char* name, std::vector<E> C::*member, const char* doc) {
    cls.def_property_readonly(
        name, [member](py::object self) { return tuple_of(self.cast<const C&>().*member, self); },
        doc);
}

/// Tuples of strings are values, not views.
template <typename C>
void def_tuple(py::class_<C>& cls, const char* name, std::vector<std::string> C::*member,
               const char* doc) {
    cls.def_property_readonly(
        name, [member](const C& c) { return py::tuple(py::cast(c.*member)); }, doc);
}

template <typename T>
void def_repr(py::class_<T>& cls, std::string prefix, std::function<std::string(const T&)> what) {
    cls.def("__repr__", [prefix = std::move(prefix), what = std::move(what)](const T& t) {
        return "<" + prefix + " " + what(t) + ">";
    });
}

void register_common(py::module_& m) {
    py::class_<py_span> span(m, "Span",
                             "A range of bytes in the source with its lines and columns (1-based; "
                             "columns count bytes).");
    span.def_readonly("begin", &py_span::begin, "Offset of the first byte.")
        .def_readonly("end", &py_span::end, "Offset just past the last byte.")
        .def_readonly("line", &py_span::line, "Line of the first byte.")
        .def_readonly("column", &py_span::column, "Column of the first byte.")
        .def_readonly("end_line", &py_span::end_line, "Line of the end.")
        .def_readonly("end_column", &py_span::end_column, "Column just past the last byte.")
        .def_readonly("text", &py_span::text,
                      "The source text of the range (invalid UTF-8 replaced by U+FFFD).");
    def_repr<py_span>(span, "Span", [](const py_span& s) {
        return std::to_string(s.line) + ":" + std::to_string(s.column) + "-" +
               std::to_string(s.end_line) + ":" + std::to_string(s.end_column);
    });

    py::class_<py_problem> problem(m, "SyntaxProblem",
                                   "A syntax error the parser found, where it is.");
    problem.def_readonly("message", &py_problem::message, "What is wrong.")
        .def_readonly("span", &py_problem::span, "Where.");
    def_repr<py_problem>(problem, "SyntaxProblem", [](const py_problem& p) {
        return std::to_string(p.span.line) + ":" + std::to_string(p.span.column) + " " +
               p.message;
    });

    py::class_<py_comment>(m, "Comment", "A '#' comment.")
        .def_readonly("text", &py_comment::text, "From the '#' to the end of the line.")
        .def_readonly("span", &py_comment::span, "Where.");
}

void register_postfix_values(py::module_& m) {
    py::class_<py_value_operand> operand(
        m, "ValueOperand",
        "Text inside an expression that Postfix parses again as a value (a branch, an operand "
        "of a comparison, a function argument).");
    operand.def_readonly("span", &py_value_operand::span, "The text, without braces.")
        .def_readonly("braced", &py_value_operand::braced, "Written '{text}' (Postfix 3.0+).");
    def_tuple(operand, "parts", &py_value_operand::parts, "Its parts, as a tuple of ValuePart.");

    py::class_<py_value_part> part(
        m, "ValuePart", "A piece of a Postfix parameter value: literal text or a '$' expression.");
    part.def_readonly("kind", &py_value_part::kind,
                      "'literal', 'dollar' ($$), 'reference' ($name), 'conditional' "
                      "(${name?x:y}), 'comparison' (${{a}=={b}?x:y}) or 'function_call'.")
        .def_readonly("text", &py_value_part::text, "The part's text in the joined value.")
        .def_readonly("span", &py_value_part::span, "Where the part is in the source.")
        .def_readonly("style", &py_value_part::style,
                      "'bare' ($name), 'braces' (${name}) or 'parentheses' ($(name)).")
        .def_readonly("name", &py_value_part::name,
                      "The parameter or function name; '' for literal text.")
        .def_readonly("name_span", &py_value_part::name_span, "Where the name is.")
        .def_readonly("when_true", &py_value_part::when_true,
                      "The text after '?' (or a function's argument), or None.")
        .def_readonly("when_false", &py_value_part::when_false, "The text after ':', or None.")
        .def_readonly("left", &py_value_part::left, "A comparison's left operand, or None.")
        .def_readonly("right", &py_value_part::right, "A comparison's right operand, or None.")
        .def_readonly("operator", &py_value_part::op,
                      "A comparison's operator ('==', '!=', '<', '<=', '>', '>='); else ''.")
        .def_readonly("operator_span", &py_value_part::op_span, "Where the operator is.")
        .def_readonly("level_comparison", &py_value_part::level_comparison,
                      "'<level' and friends: compares compatibility levels (Postfix 3.6+).");
    def_repr<py_value_part>(part, "ValuePart",
                            [](const py_value_part& p) { return p.kind + " " + p.text; });
}

void register_main_cf(py::module_& m) {
    py::class_<py_main_parameter> param(m, "MainCfParameter", "One 'name = value' of main.cf.");
    param.def_readonly("name", &py_main_parameter::name, "The parameter name.")
        .def_readonly("name_span", &py_main_parameter::name_span, "Where the name is.")
        .def_readonly("value", &py_main_parameter::value,
                      "The value as Postfix reads it: continuation lines joined, trailing "
                      "blanks trimmed.")
        .def_readonly("value_span", &py_main_parameter::value_span,
                      "From the first to the last byte of the value.")
        .def_readonly("span", &py_main_parameter::span,
                      "The whole logical line, continuation lines included.");
    def_tuple(param, "value_pieces", &py_main_parameter::value_pieces,
              "The physical pieces of the value (Span); joined they give `value`.");
    def_tuple(param, "parts", &py_main_parameter::parts,
              "The value split into literal text and '$' expressions (ValuePart).");
    def_tuple(param, "value_problems", &py_main_parameter::value_problems,
              "What Postfix would warn about in the value's '$' syntax (SyntaxProblem).");
    def_repr<py_main_parameter>(param, "MainCfParameter", [](const py_main_parameter& p) {
        return std::to_string(p.span.line) + " " + p.name + " = " + p.value;
    });

    py::class_<py_main_cf> doc(m, "MainCf", "A parsed main.cf (partial when it has errors).");
    doc.def_readonly("path", &py_main_cf::path, "The path the text came from ('-' for text).")
        .def_property_readonly(
            "type", [](const py_main_cf&) { return "postfix-main"; }, "Always 'postfix-main'.");
    def_tuple(doc, "parameters", &py_main_cf::parameters,
              "The parameters in file order (MainCfParameter); Postfix uses the last of a name.");
    def_tuple(doc, "comments", &py_main_cf::comments, "The comment lines (Comment).");
    def_tuple(doc, "orphan_lines", &py_main_cf::orphan_lines,
              "Indented lines with nothing to continue, which Postfix drops (Span).");
    def_tuple(doc, "errors", &py_main_cf::errors, "Syntax errors, one per bad line.");
    doc.def(
        "get",
        [](py::object self, const std::string& name) -> py::object {
            const auto& params = self.cast<const py_main_cf&>().parameters;
            for (auto it = params.rbegin(); it != params.rend(); ++it) {
                if (it->name == name) {
                    return py::cast(&*it, py::return_value_policy::reference_internal, self);
                }
            }
            return py::none();
        },
        py::arg("name"), "The parameter Postfix uses for `name` (the last one), or None.");
    def_repr<py_main_cf>(doc, "MainCf", [](const py_main_cf& d) {
        return d.path + " (" + std::to_string(d.parameters.size()) + " parameters)";
    });
}

void register_master_cf(py::module_& m) {
    py::class_<py_word> word(m, "MasterCfWord", "One word of a master.cf entry.");
    word.def_readonly("text", &py_word::text,
                      "The text Postfix sees (a '{ }' group across lines joined).")
        .def_readonly("span", &py_word::span, "From the first to the last byte of the word.");
    def_tuple(word, "pieces", &py_word::pieces, "Its physical pieces (Span).");
    def_repr<py_word>(word, "MasterCfWord", [](const py_word& w) { return w.text; });

    py::class_<py_flag>(m, "MasterCfFlag", "The private, unprivileged or chroot field.")
        .def_readonly("word", &py_flag::word, "The field as written.")
        .def_readonly("value", &py_flag::value,
                      "'y', 'n', '-' (the built-in default), or '' when invalid.");

    py::class_<py_argument>(m, "MasterCfArgument", "A word after the command.")
        .def_readonly("word", &py_argument::word, "The word as written.")
        .def_readonly("kind", &py_argument::kind,
                      "'option' (-v, -o), 'option_value' (the word after -o) or 'operand'.")
        .def_readonly("value", &py_argument::value,
                      "The argument as Postfix passes it to the daemon (braces removed).")
        .def_readonly("braced", &py_argument::braced, "Written '{ ... }' (Postfix 3.0+).");

    py::class_<py_override> ovr(m, "MasterCfOverride",
                                "A '-o name=value' option that overrides a main.cf parameter.");
    ovr.def_readonly("form", &py_override::form,
                     "'separate' (-o name=value), 'joined' (-oname=value) or 'braced' "
                     "(-o { name = value }).")
        .def_readonly("option_index", &py_override::option_index,
                      "Index in `arguments` of the '-o' word.")
        .def_readonly("value_index", &py_override::value_index,
                      "Index in `arguments` of the value word.")
        .def_readonly("option_span", &py_override::option_span, "The option letters, e.g. '-o'.")
        .def_readonly("span", &py_override::span, "From '-o' to the end of the value word.")
        .def_readonly("problem", &py_override::problem,
                      "'' when usable; else why Postfix cannot split it (it then ignores it).")
        .def_property_readonly(
            "usable", [](const py_override& o) { return o.problem.empty(); },
            "True when Postfix can split it into a name and a value.")
        .def_readonly("name", &py_override::name, "The parameter name.")
        .def_readonly("name_span", &py_override::name_span, "Where the name is.")
        .def_readonly("value", &py_override::value, "The value Postfix passes to the daemon.")
        .def_readonly("value_span", &py_override::value_span, "Where the value is.");
    def_tuple(ovr, "value_pieces", &py_override::value_pieces, "The value's physical pieces.");
    def_tuple(ovr, "parts", &py_override::parts,
              "The value split into literal text and '$' expressions (empty when unusable).");
    def_tuple(ovr, "value_problems", &py_override::value_problems,
              "What Postfix would warn about in the value's '$' syntax.");
    def_repr<py_override>(ovr, "MasterCfOverride", [](const py_override& o) {
        return o.name + "=" + o.value + (o.problem.empty() ? "" : " (" + o.problem + ")");
    });

    py::class_<py_service> svc(m, "MasterCfService", "One service: a logical line of master.cf.");
    svc.def_readonly("service", &py_service::service,
                     "The service name, e.g. 'smtp', '587', '127.0.0.1:10025'.")
        .def_readonly("type_word", &py_service::type_word, "The type field as written.")
        .def_readonly("type", &py_service::type,
                      "'inet', 'unix', 'unix-dgram', 'fifo', 'pass', or '' when invalid.")
        .def_readonly("private", &py_service::private_flag, "The private field.")
        .def_readonly("unprivileged", &py_service::unprivileged_flag, "The unprivileged field.")
        .def_readonly("chroot", &py_service::chroot_flag, "The chroot field.")
        .def_readonly("wakeup", &py_service::wakeup, "The wakeup field.")
        .def_readonly("process_limit", &py_service::process_limit, "The maxproc field.")
        .def_readonly("command", &py_service::command, "The command, e.g. 'smtpd'.")
        .def_readonly("host", &py_service::host,
                      "For inet services the host part of the name ('' for a bare port).")
        .def_readonly("host_span", &py_service::host_span, "Where the host is.")
        .def_readonly("port", &py_service::port, "For inet services the port, else ''.")
        .def_readonly("port_span", &py_service::port_span, "Where the port is.")
        .def_readonly("span", &py_service::span,
                      "The whole logical line, continuation lines included.");
    def_tuple(svc, "arguments", &py_service::arguments,
              "The words after the command (MasterCfArgument).");
    def_tuple(svc, "overrides", &py_service::overrides,
              "Every '-o' in order, usable or not (MasterCfOverride).");
    svc.def(
        "override",
        [](py::object self, const std::string& name) -> py::object {
            const auto& overrides = self.cast<const py_service&>().overrides;
            for (auto it = overrides.rbegin(); it != overrides.rend(); ++it) {
                if (it->problem.empty() && it->name == name) {
                    return py::cast(&*it, py::return_value_policy::reference_internal, self);
                }
            }
            return py::none();
        },
        py::arg("name"), "The usable override in effect for `name` (Postfix keeps the last).");
    def_repr<py_service>(svc, "MasterCfService", [](const py_service& s) {
        return s.service.text + " " + s.type_word.text + " " + s.command.text;
    });

    py::class_<py_master_cf> doc(m, "MasterCf", "A parsed master.cf (partial when it has errors).");
    doc.def_readonly("path", &py_master_cf::path, "The path the text came from ('-' for text).")
        .def_property_readonly(
            "type", [](const py_master_cf&) { return "postfix-master"; },
            "Always 'postfix-master'.");
    def_tuple(doc, "services", &py_master_cf::services,
              "The services in file order (MasterCfService).");
    def_tuple(doc, "comments", &py_master_cf::comments, "The comment lines (Comment).");
    def_tuple(doc, "orphan_lines", &py_master_cf::orphan_lines,
              "Indented lines with nothing to continue, which Postfix drops (Span).");
    def_tuple(doc, "errors", &py_master_cf::errors, "Syntax errors (SyntaxProblem).");
    def_repr<py_master_cf>(doc, "MasterCf", [](const py_master_cf& d) {
        return d.path + " (" + std::to_string(d.services.size()) + " services)";
    });
}

void register_dovecot(py::module_& m) {
    py::class_<py_dovecot_reference>(m, "DovecotReference", "A '$' reference inside a value.")
        .def_readonly("kind", &py_dovecot_reference::kind,
                      "'setting' ($name, $SET:name), 'environment' ($ENV:name) or 'literal' "
                      "(2.4 '$name', kept as text).")
        .def_readonly("name", &py_dovecot_reference::name, "The name after '$', '$SET:', '$ENV:'.")
        .def_readonly("span", &py_dovecot_reference::span, "The token, '$' included.")
        .def_readonly("starts_value", &py_dovecot_reference::starts_value,
                      "The token starts the value (all that 2.0-2.3.13 expand).");

    py::class_<py_dovecot_setting> setting(m, "DovecotSetting", "A 'key = value' line.");
    setting.def_readonly("key", &py_dovecot_setting::key, "The key, unquoted.")
        .def_readonly("key_span", &py_dovecot_setting::key_span, "Where the key is.")
        .def_readonly("value", &py_dovecot_setting::value,
                      "The value the daemon uses (unquoted, continuation lines joined; for a "
                      "'<file' value the path).")
        .def_readonly("value_span", &py_dovecot_setting::value_span,
                      "The value as written, quotes and '<' included.")
        .def_readonly("span", &py_dovecot_setting::span, "From the key to the end of the value.")
        .def_readonly("quote", &py_dovecot_setting::quote,
                      "'\"' or \"'\" when the whole value was quoted, else ''.")
        .def_readonly("file", &py_dovecot_setting::file,
                      "A 'key = <path' value: the daemon reads the file.")
        .def_readonly("file_path_span", &py_dovecot_setting::file_path_span,
                      "Where the path after '<' is, or None.")
        .def_readonly("section", &py_dovecot_setting::section,
                      "The enclosing section, an index into DovecotConf.sections (0: top).");
    def_tuple(setting, "value_pieces", &py_dovecot_setting::value_pieces,
              "The value's physical pieces, one per line (Span).");
    def_tuple(setting, "references", &py_dovecot_setting::references,
              "'$' references in the value (DovecotReference).");
    def_tuple(setting, "scope", &py_dovecot_setting::scope,
              "The headers of the enclosing sections, outermost first, e.g. "
              "('service imap-login', 'inet_listener imaps').");
    def_repr<py_dovecot_setting>(setting, "DovecotSetting", [](const py_dovecot_setting& s) {
        return std::to_string(s.span.line) + " " + s.key + " = " + s.value;
    });

    py::class_<py_dovecot_include> include(m, "DovecotInclude",
                                           "An '!include' or '!include_try' line.");
    include.def_readonly("try_only", &py_dovecot_include::try_only,
                         "'!include_try': a pattern that matches nothing is no error.")
        .def_readonly("pattern", &py_dovecot_include::pattern, "The path or glob, unquoted.")
        .def_readonly("pattern_span", &py_dovecot_include::pattern_span, "Where the pattern is.")
        .def_readonly("span", &py_dovecot_include::span, "The whole directive.")
        .def_readonly("section", &py_dovecot_include::section,
                      "The enclosing section, an index into DovecotConf.sections.");
    def_repr<py_dovecot_include>(include, "DovecotInclude", [](const py_dovecot_include& i) {
        return std::string(i.try_only ? "!include_try " : "!include ") + i.pattern;
    });

    py::class_<py_dovecot_child>(m, "DovecotChild", "A reference to a node inside a section.")
        .def_readonly("kind", &py_dovecot_child::kind, "'setting', 'section' or 'include'.")
        .def_readonly("index", &py_dovecot_child::index,
                      "Index into DovecotConf.settings, .sections or .includes.");

    py::class_<py_dovecot_section> section(m, "DovecotSection",
                                           "A 'type [name] { ... }' section; [0] is the file.");
    section.def_readonly("type", &py_dovecot_section::type, "e.g. 'service'; '' for the file.")
        .def_readonly("type_span", &py_dovecot_section::type_span, "Where the type is.")
        .def_readonly("name", &py_dovecot_section::name, "The name, unquoted; '' without one.")
        .def_readonly("has_name", &py_dovecot_section::has_name, "The header has a name.")
        .def_readonly("name_span", &py_dovecot_section::name_span, "The name as written.")
        .def_readonly("header_span", &py_dovecot_section::header_span, "'type name {'.")
        .def_readonly("close_span", &py_dovecot_section::close_span,
                      "The closing '}', or None when it is missing (and for the file).")
        .def_readonly("kind", &py_dovecot_section::kind,
                      "'root', 'filter' (protocol, local, remote, ...), 'named' or 'unnamed'.")
        .def_readonly("parent", &py_dovecot_section::parent,
                      "Index of the enclosing section (the file is its own parent).")
        .def_readonly("depth", &py_dovecot_section::depth, "0 for the file.");
    def_tuple(section, "children", &py_dovecot_section::children,
              "What it holds, in file order (DovecotChild).");
    def_repr<py_dovecot_section>(section, "DovecotSection", [](const py_dovecot_section& s) {
        return s.type.empty() ? std::string("(file)") : s.type + (s.has_name ? " " + s.name : "");
    });

    py::class_<py_dovecot_conf> doc(
        m, "DovecotConf",
        "One parsed Dovecot file, without the files its includes read (partial when it has "
        "errors).");
    doc.def_readonly("path", &py_dovecot_conf::path, "The path the text came from ('-' for text).")
        .def_property_readonly(
            "type", [](const py_dovecot_conf&) { return "dovecot"; }, "Always 'dovecot'.")
        .def_readonly("syntax", &py_dovecot_conf::syntax,
                      "The syntax it was read with: '1.x', '2.0-2.3' or '2.4'.");
    def_tuple(doc, "sections", &py_dovecot_conf::sections,
              "Every section, [0] being the file itself (DovecotSection).");
    def_tuple(doc, "settings", &py_dovecot_conf::settings,
              "Every setting in file order, at any depth (DovecotSetting).");
    def_tuple(doc, "includes", &py_dovecot_conf::includes, "Every include (DovecotInclude).");
    def_tuple(doc, "comments", &py_dovecot_conf::comments, "The comments (Comment).");
    def_tuple(doc, "errors", &py_dovecot_conf::errors, "Syntax errors (SyntaxProblem).");
    def_repr<py_dovecot_conf>(doc, "DovecotConf", [](const py_dovecot_conf& d) {
        return d.path + " (" + std::to_string(d.settings.size()) + " settings)";
    });
}

}  // namespace

void register_ast(py::module_& m) {
    register_common(m);
    register_postfix_values(m);
    register_main_cf(m);
    register_master_cf(m);
    register_dovecot(m);

    m.def(
        "parse",
        [](std::string text, const std::string& type, std::string path,
           std::optional<std::string> dovecot_version) {
            const auto t = to_config_type(type);
            const auto v = to_dovecot_version(dovecot_version);
            py::gil_scoped_release release;
            return parse_text(std::move(text), t, std::move(path), v);
        },
        py::arg("text"), py::arg("type"), py::arg("path") = "-",
        py::arg("dovecot_version") = py::none(),
        "Parses one file's text (bytes or UTF-8 str); see mailtls_lint.parse.");
}

}  // namespace mailtls::python
