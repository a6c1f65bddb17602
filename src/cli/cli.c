/* Option parsing and the settings shared by the subcommands. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "xtrain/rat.h"

void xt_cli_parser_init(xt_cli_parser *p, const char *command, int argc,
                        char **argv)
{
    memset(p, 0, sizeof *p);
    p->command = command;
    p->argc = argc;
    p->argv = argv;
    p->index = 1;
}

static const xt_cli_option *find_long(const xt_cli_option *opts,
                                      const char *name, size_t len)
{
    for (const xt_cli_option *o = opts; o->name; o++)
        if (strlen(o->name) == len && !strncmp(o->name, name, len))
            return o;
    return NULL;
}

static const xt_cli_option *find_short(const xt_cli_option *opts, char c)
{
    for (const xt_cli_option *o = opts; o->name; o++)
        if (o->short_name && o->short_name == c)
            return o;
    return NULL;
}

/* Takes the value of option o: the rest of a short cluster, the text
 * after '=', or the next word. */
static int take_value(xt_cli_parser *p, const xt_cli_option *o,
                      const char *inline_value)
{
    if (inline_value) {
        p->value = inline_value;
        return o->id;
    }
    if (p->index >= p->argc) {
        fprintf(stderr, "%s: option --%s requires a value\n", p->command,
                o->name);
        return XT_OPT_ERROR;
    }
    p->value = p->argv[p->index++];
    return o->id;
}

static int next_short(xt_cli_parser *p, const xt_cli_option *opts)
{
    char c = *p->short_cluster++;
    const xt_cli_option *o = find_short(opts, c);
    if (!o) {
        fprintf(stderr, "%s: unknown option -%c (see %s --help)\n",
                p->command, c, p->command);
        return XT_OPT_ERROR;
    }
    if (!o->takes_value) {
        if (!*p->short_cluster)
            p->short_cluster = NULL;
        return o->id;
    }
    const char *rest = *p->short_cluster ? p->short_cluster : NULL;
    p->short_cluster = NULL;
    return take_value(p, o, rest);
}

int xt_cli_next(xt_cli_parser *p, const xt_cli_option *opts)
{
    p->value = NULL;
    if (p->short_cluster)
        return next_short(p, opts);
    if (p->index >= p->argc)
        return XT_OPT_END;
    const char *word = p->argv[p->index++];
    if (p->only_positional || word[0] != '-' || !strcmp(word, "-")) {
        p->value = word;
        return XT_OPT_POSITIONAL;
    }
    if (!strcmp(word, "--")) {
        p->only_positional = 1;
        return xt_cli_next(p, opts);
    }
    if (word[1] != '-') {
        p->short_cluster = word + 1;
        return next_short(p, opts);
    }
    const char *name = word + 2;
    const char *eq = strchr(name, '=');
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    const xt_cli_option *o = find_long(opts, name, len);
    if (!o) {
        fprintf(stderr, "%s: unknown option --%.*s (see %s --help)\n",
                p->command, (int)len, name, p->command);
        return XT_OPT_ERROR;
    }
    if (!o->takes_value) {
        if (eq) {
            fprintf(stderr, "%s: option --%s takes no value\n", p->command,
                    o->name);
            return XT_OPT_ERROR;
        }
        return o->id;
    }
    return take_value(p, o, eq ? eq + 1 : NULL);
}

void xt_cli_print_help(const char *usage, const char *description,
                       const xt_cli_option *opts)
{
    printf("usage: %s\n\n%s\n\noptions:\n", usage, description);
    for (const xt_cli_option *o = opts; o->name; o++) {
        char left[64];
        if (o->short_name)
            snprintf(left, sizeof left, "-%c, --%s", o->short_name, o->name);
        else
            snprintf(left, sizeof left, "    --%s", o->name);
        printf("  %-22s %s\n", left, o->help ? o->help : "");
    }
}

void xt_cli_settings_init(xt_cli_settings *s)
{
    memset(s, 0, sizeof *s);
    s->output_bias = -1;
    s->convex = -1;
    s->csv_outputs = 1;
    mpq_init(s->target);
}

void xt_cli_settings_clear(xt_cli_settings *s)
{
    mpq_clear(s->target);
}

long xt_cli_parse_count(const char *command, const char *option,
                        const char *value, long max)
{
    char *end;
    errno = 0;
    long v = strtol(value, &end, 10);
    if (!*value || *end || errno || v < 0 || v > max) {
        fprintf(stderr, "%s: invalid value \"%s\" for --%s (expected an "
                "integer from 0 to %ld)\n", command, value, option, max);
        return -1;
    }
    return v;
}

double xt_cli_parse_seconds(const char *command, const char *option,
                            const char *value)
{
    char *end;
    errno = 0;
    double v = strtod(value, &end);
    if (!*value || *end || errno || !(v >= 0) || v > 1e9) {
        fprintf(stderr, "%s: invalid value \"%s\" for --%s (expected "
                "seconds from 0 to 1e9)\n", command, value, option);
        return -1;
    }
    return v;
}

int xt_cli_settings_option(xt_cli_settings *s, const char *command, int id,
                           const char *value)
{
    long v;
    switch (id) {
    case XT_OPT_HIDDEN:
        v = xt_cli_parse_count(command, "hidden", value, XT_MAX_HIDDEN);
        if (v < 1) {
            if (v == 0)
                fprintf(stderr, "%s: --hidden must be at least 1\n",
                        command);
            return -1;
        }
        s->hidden = (int)v;
        return 1;
    case XT_OPT_LOSS:
        if (xt_loss_parse(&s->loss, value)) {
            fprintf(stderr, "%s: unknown loss \"%s\" (expected l1, l2, linf "
                    "or zero-one)\n", command, value);
            return -1;
        }
        s->has_loss = 1;
        return 1;
    case XT_OPT_ACTIVATION:
        if (xt_activation_parse(&s->activation, value)) {
            fprintf(stderr, "%s: unknown activation \"%s\" (expected relu, "
                    "threshold or linear)\n", command, value);
            return -1;
        }
        s->has_activation = 1;
        return 1;
    case XT_OPT_TARGET:
        if (xt_rat_parse(s->target, value) || mpq_sgn(s->target) < 0) {
            fprintf(stderr, "%s: invalid target \"%s\" (expected a "
                    "rational number >= 0)\n", command, value);
            return -1;
        }
        s->has_target = 1;
        s->no_target = 0;
        return 1;
    case XT_OPT_NO_TARGET:
        s->no_target = 1;
        s->has_target = 0;
        return 1;
    case XT_OPT_OUTPUT_BIAS:
        s->output_bias = 1;
        return 1;
    case XT_OPT_NO_OUTPUT_BIAS:
        s->output_bias = 0;
        return 1;
    case XT_OPT_CONVEX:
        s->convex = 1;
        return 1;
    case XT_OPT_OUTPUTS:
        v = xt_cli_parse_count(command, "outputs", value, XT_MAX_OUTPUTS);
        if (v < 1) {
            if (v == 0)
                fprintf(stderr, "%s: --outputs must be at least 1\n",
                        command);
            return -1;
        }
        s->csv_outputs = (int)v;
        return 1;
    default:
        return 0;
    }
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !strcmp(s + a - b, suffix);
}

int xt_cli_load_instance(xt_instance_t inst, const char *path,
                         const xt_cli_settings *s)
{
    xt_error_t err;
    xt_error_clear(&err);
    int rc = ends_with(path, ".csv")
                 ? xt_instance_read_csv(inst, path, s->csv_outputs, &err)
                 : xt_instance_read_file(inst, path, &err);
    if (rc != XT_OK) {
        fprintf(stderr, "%s\n", err.message);
        /* Running out of memory is a limit (exit 3), not bad input. */
        return rc == XT_ERR_NOMEM ? XT_EXIT_UNKNOWN : XT_EXIT_USAGE;
    }
    if (s->hidden)
        inst->hidden = s->hidden;
    if (s->has_loss) {
        inst->loss = s->loss;
        inst->has_loss = 1;
    }
    if (s->has_activation) {
        inst->activation = s->activation;
        inst->has_activation = 1;
    }
    if (s->has_target) {
        inst->has_target = 1;
        mpq_set(inst->target, s->target);
    }
    if (s->no_target)
        inst->has_target = 0;
    if (s->output_bias >= 0)
        inst->output_bias = s->output_bias;
    if (s->convex >= 0)
        inst->convex = s->convex;
    return XT_EXIT_OK;
}

/* The open output files, for the message when closing one fails. */
#define XT_CLI_MAX_OUTPUTS 8
static struct {
    FILE *stream;
    const char *command, *path;
} outputs[XT_CLI_MAX_OUTPUTS];
static int output_failed;

FILE *xt_cli_open_output(const char *command, const char *path)
{
    if (!strcmp(path, "-"))
        return stdout;
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "%s: cannot write %s: %s\n", command, path,
                strerror(errno));
        return NULL;
    }
    for (int i = 0; i < XT_CLI_MAX_OUTPUTS; i++)
        if (!outputs[i].stream) {
            outputs[i].stream = f;
            outputs[i].command = command;
            outputs[i].path = path;
            break;
        }
    return f;
}

int xt_cli_close_output(FILE *stream)
{
    if (!stream || stream == stdout) {
        if (stream)
            fflush(stdout);
        return 0;
    }
    const char *command = "xtrain", *path = "an output file";
    for (int i = 0; i < XT_CLI_MAX_OUTPUTS; i++)
        if (outputs[i].stream == stream) {
            command = outputs[i].command;
            path = outputs[i].path;
            outputs[i].stream = NULL;
        }
    int failed = ferror(stream);
    errno = 0;
    failed |= fclose(stream) != 0;
    if (failed) {
        fprintf(stderr, "%s: writing %s failed%s%s\n", command, path,
                errno ? ": " : "", errno ? strerror(errno) : "");
        output_failed = 1;
        return -1;
    }
    return 0;
}

int xt_cli_finish(const char *command, int rc)
{
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "%s: writing standard output failed%s%s\n",
                command, errno ? ": " : "", errno ? strerror(errno) : "");
        output_failed = 1;
    }
    return output_failed && rc == XT_EXIT_OK ? XT_EXIT_USAGE : rc;
}
