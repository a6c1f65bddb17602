/* xtrain sgd: numeric training with R restarts, each final network
 * re-evaluated exactly.  Also the SGD option handling that xtrain compare
 * shares (cmd_sgd.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mpfr.h>
#include "cmd_sgd.h"
#include "xtrain/json.h"
#include "xtrain/log.h"
#include "xtrain/rat.h"

void xt_cli_sgd_init(xt_cli_sgd *s)
{
    memset(s, 0, sizeof *s);
    xt_sgd_options_init(&s->opt);
    xt_sgd_network_init(s->init_network);
}

void xt_cli_sgd_clear(xt_cli_sgd *s)
{
    xt_sgd_network_clear(s->init_network);
    free(s->mask);
    s->mask = NULL;
}

/* Parses a finite number >= 0 (below 1 when below_one). */
static int parse_real(double *out, const char *command, const char *option,
                      const char *value, int below_one)
{
    char *end;
    errno = 0;
    double v = strtod(value, &end);
    if (!*value || *end || errno || !isfinite(v) || !(v >= 0) ||
        (below_one && v >= 1)) {
        fprintf(stderr, "%s: invalid value \"%s\" for --%s (expected a "
                "number %s)\n", command, value, option,
                below_one ? "in [0, 1)" : ">= 0");
        return -1;
    }
    *out = v;
    return 0;
}

static int parse_seed(uint64_t *out, const char *command, const char *value)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(value, &end, 10);
    if (!*value || *end || errno || value[0] == '-' || value[0] == '+') {
        fprintf(stderr, "%s: invalid value \"%s\" for --seed (expected an "
                "integer from 0 to 18446744073709551615)\n", command, value);
        return -1;
    }
    *out = (uint64_t)v;
    return 0;
}

/* Stores a count option.  Returns -1 on error (message printed). */
static int parse_long(long *out, const char *command, const char *option,
                      const char *value, long max)
{
    long v = xt_cli_parse_count(command, option, value, max);
    if (v < 0)
        return -1;
    *out = v;
    return 0;
}

static int parse_name(const char *command, const char *option,
                      const char *value, int failed, const char *expected)
{
    if (failed)
        fprintf(stderr, "%s: unknown %s \"%s\" (expected %s)\n", command,
                option, value, expected);
    return failed ? -1 : 0;
}

static int set_init(xt_cli_sgd *s, const char *value)
{
    if (xt_sgd_init_parse(&s->opt.init, value) == 0) {
        s->init_file = NULL;
        return 0;
    }
    s->init_file = value;
    s->opt.init = XT_INIT_NETWORK;
    return 0;
}

int xt_cli_sgd_option(xt_cli_sgd *s, const char *cmd, int id,
                      const char *value)
{
    xt_sgd_options *o = &s->opt;
    const long big = 1000000000L;
    switch (id) {
    case XT_OPT_SGD_OPTIMIZER:
        return parse_name(cmd, "optimizer", value,
                          xt_sgd_optimizer_parse(&o->optimizer, value),
                          "sgd, momentum, nesterov or adam") ? -1 : 1;
    case XT_OPT_SGD_SCHEDULE:
        return parse_name(cmd, "schedule", value,
                          xt_sgd_schedule_parse(&o->schedule, value),
                          "constant, step, cosine, warmup or anneal")
                   ? -1 : 1;
    case XT_OPT_SGD_LR:
        return parse_real(&o->lr, cmd, "lr", value, 0) ? -1 : 1;
    case XT_OPT_SGD_MOMENTUM:
        return parse_real(&o->momentum, cmd, "momentum", value, 1) ? -1 : 1;
    case XT_OPT_SGD_BETA1:
        return parse_real(&o->beta1, cmd, "beta1", value, 1) ? -1 : 1;
    case XT_OPT_SGD_BETA2:
        return parse_real(&o->beta2, cmd, "beta2", value, 1) ? -1 : 1;
    case XT_OPT_SGD_DECAY:
        return parse_real(&o->decay, cmd, "decay", value, 0) ? -1 : 1;
    case XT_OPT_SGD_MIN_LR:
        return parse_real(&o->min_lr, cmd, "min-lr", value, 0) ? -1 : 1;
    case XT_OPT_SGD_INIT_SCALE:
        return parse_real(&o->init_scale, cmd, "init-scale", value, 0)
                   ? -1 : 1;
    case XT_OPT_SGD_SMOOTHING:
        if (parse_real(&o->smoothing, cmd, "smoothing", value, 0))
            return -1;
        if (o->smoothing > 0)
            return 1;
        fprintf(stderr, "%s: --smoothing must be greater than 0\n", cmd);
        return -1;
    case XT_OPT_SGD_STEP_SIZE:
        return parse_long(&o->step_size, cmd, "step-size", value, big)
                   ? -1 : 1;
    case XT_OPT_SGD_WARMUP:
        return parse_long(&o->warmup, cmd, "warmup", value, big) ? -1 : 1;
    case XT_OPT_SGD_HOLD:
        return parse_long(&o->hold, cmd, "hold", value, big) ? -1 : 1;
    case XT_OPT_SGD_EPOCHS:
        return parse_long(&o->epochs, cmd, "epochs", value, big) ? -1 : 1;
    case XT_OPT_SGD_BATCH:
        return parse_long(&o->batch, cmd, "batch", value, XT_MAX_POINTS)
                   ? -1 : 1;
    case XT_OPT_SGD_RESTARTS:
        if (parse_long(&o->restarts, cmd, "restarts", value, 1000000))
            return -1;
        if (o->restarts > 0)
            return 1;
        fprintf(stderr, "%s: --restarts must be at least 1\n", cmd);
        return -1;
    case XT_OPT_SGD_FISHER_TOP:
        return parse_long(&o->fisher_top, cmd, "fisher-top", value, big)
                   ? -1 : 1;
    case XT_OPT_SGD_SEED:
        return parse_seed(&o->seed, cmd, value) ? -1 : 1;
    case XT_OPT_SGD_INIT:
        return set_init(s, value) ? -1 : 1;
    case XT_OPT_SGD_MASK:
        s->mask_file = value;
        return 1;
    default:
        return 0;
    }
}

/* Reads the --init file.  An unreadable name may also be a misspelled
 * initialization, so the message names both. */
static int read_init(xt_cli_sgd *s, const char *command)
{
    xt_error_t err;
    xt_error_clear(&err);
    FILE *f = fopen(s->init_file, "r");
    if (!f) {
        fprintf(stderr, "%s: --init \"%s\" is neither he-normal, "
                "he-uniform, small nor a readable network file: %s\n",
                command, s->init_file, strerror(errno));
        return XT_EXIT_USAGE;
    }
    fclose(f);
    if (xt_sgd_network_read_file(s->init_network, s->init_file, &err)) {
        fprintf(stderr, "%s: %s\n", command, err.message);
        return XT_EXIT_USAGE;
    }
    s->opt.init_network = s->init_network;
    return XT_EXIT_OK;
}

static int read_mask(xt_cli_sgd *s, const char *command,
                     const xt_instance_t inst)
{
    xt_error_t err;
    xt_error_clear(&err);
    size_t k = (size_t)inst->hidden;
    size_t d = (size_t)inst->d, m = (size_t)inst->m;
    size_t count = k * d + k + m * k + (inst->output_bias ? m : 0);
    s->mask = malloc(count ? count : 1);
    if (!s->mask) {
        fprintf(stderr, "%s: out of memory for the mask\n", command);
        return XT_EXIT_USAGE;
    }
    if (xt_sgd_mask_read_file(s->mask, count, s->mask_file, &err)) {
        fprintf(stderr, "%s: %s\n", command, err.message);
        return XT_EXIT_USAGE;
    }
    s->opt.mask = s->mask;
    return XT_EXIT_OK;
}

int xt_cli_sgd_prepare(xt_cli_sgd *s, const char *command,
                       xt_instance_t inst)
{
    xt_error_t err;
    xt_error_clear(&err);
    int rc = XT_EXIT_OK;
    if (s->init_file)
        rc = read_init(s, command);
    if (rc == XT_EXIT_OK && s->init_file && !inst->hidden)
        inst->hidden = s->init_network->k;
    if (rc == XT_EXIT_OK && xt_sgd_check_options(inst, &s->opt, &err)) {
        fprintf(stderr, "%s: %s\n", command, err.message);
        rc = XT_EXIT_USAGE;
    }
    if (rc == XT_EXIT_OK && s->mask_file)
        rc = read_mask(s, command, inst);
    return rc;
}

void xt_cli_format_loss(char *buf, size_t size, const mpq_t q)
{
    if (mpq_sgn(q) == 0) {
        snprintf(buf, size, "0");
        return;
    }
    mpfr_t t;
    mpfr_init2(t, 64);
    mpfr_set_q(t, q, MPFR_RNDN);
    mpfr_snprintf(buf, size, "%.6Rg", t);
    mpfr_clear(t);
}

void xt_cli_print_double(FILE *stream, double v)
{
    char buf[32];
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(buf, sizeof buf, "%.*g", digits, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    fputs(buf, stream);
}

void xt_cli_print_loss(FILE *stream, const mpq_t q)
{
    char buf[64];
    xt_cli_format_loss(buf, sizeof buf, q);
    fputs(buf, stream);
}

/* ------------------------------------------------------------ command */

enum { OPT_TRACE = XT_OPT_FIRST_COMMAND, OPT_OUTPUT, OPT_SAVE };

static const xt_cli_option sgd_options[] = {
    XT_CLI_COMMON_OPTIONS,
    {"json", 0, 0, XT_OPT_JSON, "        print one JSON object"},
    {"trace", 0, 1, OPT_TRACE,
     "FILE    write restart,epoch,loss per epoch (CSV)"},
    {"output", 'o', 1, OPT_OUTPUT,
     "FILE    write the best network exactly (xtrain check)"},
    {"save", 0, 1, OPT_SAVE,
     "FILE    write the best network as hex floats"},
    XT_CLI_SGD_OPTIONS,
    XT_CLI_SETTINGS_OPTIONS,
    {NULL, 0, 0, 0, NULL}
};

static const char sgd_usage[] =
    "xtrain sgd INSTANCE [--hidden K] [--optimizer sgd|momentum|nesterov|"
    "adam]\n"
    "       [--lr X] [--schedule constant|step|cosine|warmup|anneal]\n"
    "       [--epochs N] [--batch B] [--restarts R] [--seed S]\n"
    "       [--init he-normal|he-uniform|small|FILE] [--json]\n"
    "       [--trace FILE] [-o NETWORK] [--save FILE]";

static const char sgd_description[] =
    "Trains the network numerically (double precision) with R restarts\n"
    "and reports the best and the distribution of the final losses, each\n"
    "re-evaluated exactly from the double weights.  The optimizer\n"
    "minimizes the loss averaged over each batch; linf is smoothed by a\n"
    "log-sum-exp of temperature --smoothing.  Restart r (from 0) uses the\n"
    "(r+1)-th splitmix64 output from --seed as its own seed.  Exit status:\n"
    "0 done, 1 every restart diverged, 2 bad input, 3 interrupted.";

typedef struct {
    FILE *trace;
    long restarts;
} sgd_context;

static void trace_epoch(void *ctx, long restart, long epoch, double loss)
{
    sgd_context *c = ctx;
    fprintf(c->trace, "%ld,%ld,%.17g\n", restart, epoch, loss);
}

static void show_restart(void *ctx, long restart)
{
    sgd_context *c = ctx;
    xt_progress("sgd: restart %ld of %ld", restart + 1, c->restarts);
}

static long diverged_count(const xt_sgd_report_t rep)
{
    return rep->restarts - rep->finite;
}

static void print_json_rational(const char *key, const mpq_t q)
{
    printf(", \"%s\": \"", key);
    xt_rat_print(stdout, q);
    printf("\"");
}

static void print_json(const char *path, const xt_instance_t inst,
                       const xt_cli_sgd *s, const xt_sgd_report_t rep)
{
    const xt_sgd_options *o = &s->opt;
    printf("{\"instance\": ");
    xt_json_write_string(stdout, path);
    printf(", \"loss_kind\": \"%s\", \"hidden\": %d, \"points\": %ld",
           xt_loss_name(inst->loss), inst->hidden, inst->n);
    printf(", \"optimizer\": \"%s\", \"lr\": ",
           xt_sgd_optimizer_name(o->optimizer));
    xt_cli_print_double(stdout, o->lr);
    printf(", \"schedule\": \"%s\"", xt_sgd_schedule_name(o->schedule));
    printf(", \"epochs\": %ld, \"batch\": %ld, \"seed\": %llu",
           o->epochs, o->batch, (unsigned long long)o->seed);
    printf(", \"restarts\": %ld, \"started\": %ld, \"diverged\": %ld",
           o->restarts, rep->restarts, diverged_count(rep));
    printf(", \"interrupted\": %s, \"seconds\": %.6f",
           rep->interrupted ? "true" : "false", rep->seconds);
    if (rep->best >= 0) {
        printf(", \"best_restart\": %ld", rep->best);
        print_json_rational("best_loss", rep->min);
        print_json_rational("median_loss", rep->median);
        print_json_rational("max_loss", rep->max);
        printf(", \"best_loss_double\": ");
        xt_cli_print_double(stdout, mpq_get_d(rep->min));
    }
    printf(", \"losses\": [");
    for (long r = 0; r < rep->restarts; r++) {
        printf(r ? ", " : "");
        if (rep->info[r].diverged) {
            printf("null");
            continue;
        }
        printf("\"");
        xt_rat_print(stdout, rep->loss[r]);
        printf("\"");
    }
    printf("]");
    if (rep->best >= 0) {
        xt_network_t exact;
        xt_network_init(exact);
        if (xt_sgd_network_to_exact(exact, rep->best_network, NULL) == 0) {
            printf(", \"network\": ");
            xt_network_write_json(stdout, exact);
        }
        xt_network_clear(exact);
    }
    printf("}\n");
}

static void print_header(const char *path, const xt_instance_t inst,
                         const xt_sgd_options *o)
{
    printf("sgd on %s: %ld points, d = %d, k = %d, loss %s, %s output "
           "bias%s\n", path, inst->n, inst->d, inst->hidden,
           xt_loss_name(inst->loss), inst->output_bias ? "with" : "no",
           inst->convex ? ", convex" : "");
    printf("optimizer %s, lr %g (%s), %ld epochs, ",
           xt_sgd_optimizer_name(o->optimizer), o->lr,
           xt_sgd_schedule_name(o->schedule), o->epochs);
    if (o->batch > 0 && o->batch < inst->n)
        printf("batch %ld", o->batch);
    else
        printf("full batch");
    printf(", init %s, seed %llu\n",
           o->init == XT_INIT_NETWORK ? "from file"
                                      : xt_sgd_init_name(o->init),
           (unsigned long long)o->seed);
}

static void print_text(const char *path, const xt_instance_t inst,
                       const xt_cli_sgd *s, const xt_sgd_report_t rep)
{
    if (xt_verbosity >= 1)
        print_header(path, inst, &s->opt);
    if (rep->best < 0) {
        printf("every restart diverged (%ld of %ld): lower --lr\n",
               rep->restarts, s->opt.restarts);
        return;
    }
    printf("best loss (%s, exact): ", xt_loss_name(inst->loss));
    xt_cli_print_loss(stdout, rep->min);
    printf(" (restart %ld)\n", rep->best);
    if (xt_verbosity >= 2) {
        printf("best loss as a rational: ");
        xt_rat_print(stdout, rep->min);
        printf("\n");
        for (long r = 0; r < rep->restarts; r++) {
            printf("restart %ld: %ld epochs, loss ", r,
                   rep->info[r].epochs);
            if (rep->info[r].diverged)
                printf("diverged");
            else
                xt_cli_print_loss(stdout, rep->loss[r]);
            printf("\n");
        }
    }
    if (xt_verbosity >= 1) {
        printf("final losses over %ld restarts: min ", rep->finite);
        xt_cli_print_loss(stdout, rep->min);
        printf(", median ");
        xt_cli_print_loss(stdout, rep->median);
        printf(", max ");
        xt_cli_print_loss(stdout, rep->max);
        printf("\ndiverged: %ld; time %.3f s\n", diverged_count(rep),
               rep->seconds);
    }
    if (inst->has_target) {
        printf("target ");
        xt_rat_print(stdout, inst->target);
        printf(": %s\n", mpq_cmp(rep->min, inst->target) <= 0 ? "met"
                                                              : "not met");
    }
}

/* Writes the best network to the -o and --save files. */
static int write_outputs(const char *cmd, const xt_sgd_report_t rep,
                         const char *output, const char *save)
{
    if ((output || save) && rep->best < 0) {
        fprintf(stderr, "%s: no network to write: every restart "
                "diverged\n", cmd);
        return XT_EXIT_NO;
    }
    if (save) {
        FILE *f = xt_cli_open_output(cmd, save);
        if (!f)
            return XT_EXIT_USAGE;
        xt_sgd_network_write(f, rep->best_network);
        xt_cli_close_output(f);
    }
    if (output) {
        xt_network_t exact;
        xt_network_init(exact);
        xt_sgd_network_to_exact(exact, rep->best_network, NULL);
        FILE *f = xt_cli_open_output(cmd, output);
        if (f)
            xt_network_write(f, exact);
        xt_cli_close_output(f);
        xt_network_clear(exact);
        if (!f)
            return XT_EXIT_USAGE;
    }
    return XT_EXIT_OK;
}

typedef struct {
    const char *instance, *trace, *output, *save;
    int json;
} sgd_files;

/* Parses the command line; returns -1 to go on, else an exit code. */
static int parse_sgd(sgd_files *f, xt_cli_sgd *s, xt_cli_settings *settings,
                     const char *cmd, int argc, char **argv)
{
    xt_cli_parser p;
    int id;
    xt_cli_parser_init(&p, cmd, argc, argv);
    while ((id = xt_cli_next(&p, sgd_options)) != XT_OPT_END) {
        if (id == XT_OPT_ERROR)
            return XT_EXIT_USAGE;
        int handled = xt_cli_settings_option(settings, cmd, id, p.value);
        if (!handled)
            handled = xt_cli_sgd_option(s, cmd, id, p.value);
        if (handled < 0)
            return XT_EXIT_USAGE;
        if (handled)
            continue;
        if (id == XT_OPT_HELP) {
            xt_cli_print_help(sgd_usage, sgd_description, sgd_options);
            return XT_EXIT_OK;
        } else if (id == XT_OPT_VERBOSE) {
            xt_verbosity++;
        } else if (id == XT_OPT_QUIET) {
            xt_verbosity = 0;
        } else if (id == XT_OPT_JSON) {
            f->json = 1;
        } else if (id == OPT_TRACE) {
            f->trace = p.value;
        } else if (id == OPT_OUTPUT) {
            f->output = p.value;
        } else if (id == OPT_SAVE) {
            f->save = p.value;
        } else if (id == XT_OPT_POSITIONAL) {
            if (f->instance) {
                fprintf(stderr, "%s: unexpected argument \"%s\"\n", cmd,
                        p.value);
                return XT_EXIT_USAGE;
            }
            f->instance = p.value;
        }
    }
    if (!f->instance) {
        fprintf(stderr, "%s: expected an INSTANCE file (see %s --help)\n",
                cmd, cmd);
        return XT_EXIT_USAGE;
    }
    return -1;
}

/* Trains and reports.  The instance and options are ready. */
static int run_sgd(const sgd_files *f, xt_cli_sgd *s,
                   const xt_instance_t inst, const char *cmd)
{
    sgd_context ctx = {NULL, s->opt.restarts};
    if (f->trace) {
        ctx.trace = xt_cli_open_output(cmd, f->trace);
        if (!ctx.trace)
            return XT_EXIT_USAGE;
        fprintf(ctx.trace, "restart,epoch,loss\n");
        s->opt.on_epoch = trace_epoch;
    }
    s->opt.on_restart = show_restart;
    s->opt.ctx = &ctx;

    xt_sgd_report_t rep;
    xt_error_t err;
    xt_error_clear(&err);
    xt_sgd_report_init(rep);
    int rc = xt_sgd_run(rep, inst, &s->opt, &err);
    xt_progress_done();
    xt_cli_close_output(ctx.trace);
    if (rc != XT_OK) {
        fprintf(stderr, "%s: %s\n", cmd, err.message);
        xt_sgd_report_clear(rep);
        return rc == XT_ERR_INPUT ? XT_EXIT_USAGE : XT_EXIT_INTERNAL;
    }
    if (f->json)
        print_json(f->instance, inst, s, rep);
    else
        print_text(f->instance, inst, s, rep);
    if (rep->interrupted)
        fprintf(stderr, "%s: interrupted: %ld of %ld restarts started, the "
                "last stopped after %ld of %ld epochs\n", cmd,
                rep->restarts, s->opt.restarts,
                rep->info[rep->restarts - 1].epochs, s->opt.epochs);
    rc = write_outputs(cmd, rep, f->output, f->save);
    if (rc == XT_EXIT_OK && rep->best < 0)
        rc = XT_EXIT_NO;
    if (rc == XT_EXIT_OK && rep->interrupted)
        rc = XT_EXIT_UNKNOWN;
    xt_sgd_report_clear(rep);
    return rc;
}

int xt_cmd_sgd(int argc, char **argv)
{
    const char *cmd = "xtrain sgd";
    sgd_files files = {NULL, NULL, NULL, NULL, 0};
    xt_cli_settings settings;
    xt_cli_sgd s;
    xt_instance_t inst;
    xt_cli_settings_init(&settings);
    xt_cli_sgd_init(&s);
    xt_instance_init(inst);

    int rc = parse_sgd(&files, &s, &settings, cmd, argc, argv);
    if (rc < 0) {
        rc = xt_cli_load_instance(inst, files.instance, &settings);
        if (rc == XT_EXIT_OK)
            rc = xt_cli_sgd_prepare(&s, cmd, inst);
        if (rc == XT_EXIT_OK)
            rc = run_sgd(&files, &s, inst, cmd);
    }

    xt_instance_clear(inst);
    xt_cli_sgd_clear(&s);
    xt_cli_settings_clear(&settings);
    return rc;
}
