/* xtrain report: one self-contained HTML page about an instance.  It
 * shows the instance's summary and the exact optimum, whose certificate
 * the independent checker verifies.  Then come the SGD restarts against
 * that optimum with their loss curves, and pictures of the optimal and
 * the best SGD network.  The page has inline SVG and CSS only, no
 * scripts and no external files. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cmd_report.h"
#include "cmd_sgd.h"
#include "xtrain/log.h"
#include "xtrain/rat.h"

enum {
    OPT_OUTPUT = XT_OPT_FIRST_COMMAND,
    OPT_METHOD,
    OPT_TIME_LIMIT,
    OPT_TOLERANCE,
    OPT_CERTIFICATE,
    OPT_NETWORK,
    OPT_NAME,
    OPT_TITLE
};

static const xt_cli_option report_options[] = {
    XT_CLI_COMMON_OPTIONS,
    {"output", 'o', 1, OPT_OUTPUT, "FILE    write the HTML page here"},
    {"title", 0, 1, OPT_TITLE, "TEXT    page heading"},
    {"method", 0, 1, OPT_METHOD,
     "NAME    exact method, as for xtrain solve (default auto)"},
    {"time-limit", 't', 1, OPT_TIME_LIMIT,
     "SEC     exact solver time limit in seconds (0: none)"},
    {"certificate", 'c', 1, OPT_CERTIFICATE,
     "FILE    keep the certificate in FILE"},
    {"tolerance", 0, 1, OPT_TOLERANCE,
     "X       success: loss <= optimum + X (default 1e-6)"},
    {"network", 'n', 1, OPT_NETWORK,
     "FILE    also draw this network (repeat for more)"},
    {"name", 0, 1, OPT_NAME,
     "NAME    legend name of the preceding --network"},
    XT_CLI_SGD_OPTIONS,
    XT_CLI_SETTINGS_OPTIONS,
    {NULL, 0, 0, 0, NULL}
};

static const char report_usage[] =
    "xtrain report INSTANCE -o report.html [--method NAME] [--time-limit S]\n"
    "       [--tolerance X] [--network FILE [--name NAME]]...\n"
    "       [SGD options as for xtrain sgd]";

static const char report_description[] =
    "Solves INSTANCE exactly, verifies the certificate with the\n"
    "independent checker, runs R SGD restarts, and writes one HTML page\n"
    "(inline SVG and CSS, no scripts) with the instance summary, the\n"
    "exact optimum and its certificate, the SGD comparison table, the SGD\n"
    "loss curves and pictures of the optimal and the best SGD network\n"
    "(instances with 1 or 2 inputs).  Exit status: 0 written, 2 bad\n"
    "input, 3 written but the exact solver proved nothing (time limit,\n"
    "interrupt or an unsupported instance), 4 internal error.";

typedef struct {
    xt_cli_settings settings;
    xt_cli_sgd sgd;
    xt_solve_options solve;
    const char *instance_path, *output_path, *certificate_path, *title;
    const char *files[XT_DRAW_MAX_NETWORKS];
    const char *names[XT_DRAW_MAX_NETWORKS];
    int count;
    mpq_t tolerance;
    int skip_sgd;                     /* SGD cannot train the instance */
    char sgd_error[XT_ERROR_MAX];
} report_args;

/* Handles one of report's own options; -1 to go on, else an exit code. */
static int report_option(report_args *a, const char *cmd, int id,
                         const char *value)
{
    switch (id) {
    case XT_OPT_HELP:
        xt_cli_print_help(report_usage, report_description, report_options);
        return XT_EXIT_OK;
    case XT_OPT_VERBOSE: xt_verbosity++; break;
    case XT_OPT_QUIET: xt_verbosity = 0; break;
    case OPT_OUTPUT: a->output_path = value; break;
    case OPT_TITLE: a->title = value; break;
    case OPT_CERTIFICATE: a->certificate_path = value; break;
    case OPT_METHOD:
        if (xt_method_parse(&a->solve.method, value)) {
            fprintf(stderr, "%s: unknown method \"%s\" (see xtrain solve "
                    "--help)\n", cmd, value);
            return XT_EXIT_USAGE;
        }
        break;
    case OPT_TIME_LIMIT:
        a->solve.time_limit = xt_cli_parse_seconds(cmd, "time-limit", value);
        if (a->solve.time_limit < 0)
            return XT_EXIT_USAGE;
        break;
    case OPT_TOLERANCE:
        if (xt_rat_parse(a->tolerance, value) || mpq_sgn(a->tolerance) < 0) {
            fprintf(stderr, "%s: --tolerance expects a rational >= 0, not "
                    "\"%s\"\n", cmd, value);
            return XT_EXIT_USAGE;
        }
        break;
    case OPT_NETWORK:
        if (a->count == XT_DRAW_MAX_NETWORKS - 2) {
            fprintf(stderr, "%s: at most %d --network files\n", cmd,
                    XT_DRAW_MAX_NETWORKS - 2);
            return XT_EXIT_USAGE;
        }
        a->files[a->count] = value;
        a->names[a->count++] = xt_cli_base_name(value);
        break;
    case OPT_NAME:
        if (a->count == 0) {
            fprintf(stderr, "%s: --name must follow the --network it "
                    "names\n", cmd);
            return XT_EXIT_USAGE;
        }
        a->names[a->count - 1] = value;
        break;
    case XT_OPT_POSITIONAL:
        if (a->instance_path) {
            fprintf(stderr, "%s: unexpected argument \"%s\"\n", cmd, value);
            return XT_EXIT_USAGE;
        }
        a->instance_path = value;
        break;
    }
    return -1;
}

static int parse_report(report_args *a, int argc, char **argv)
{
    const char *cmd = "xtrain report";
    xt_cli_parser p;
    int id;
    xt_cli_parser_init(&p, cmd, argc, argv);
    while ((id = xt_cli_next(&p, report_options)) != XT_OPT_END) {
        if (id == XT_OPT_ERROR)
            return XT_EXIT_USAGE;
        int handled = xt_cli_settings_option(&a->settings, cmd, id, p.value);
        if (!handled)
            handled = xt_cli_sgd_option(&a->sgd, cmd, id, p.value);
        if (handled < 0)
            return XT_EXIT_USAGE;
        if (handled)
            continue;
        int rc = report_option(a, cmd, id, p.value);
        if (rc >= 0)
            return rc;
    }
    if (!a->instance_path || !a->output_path) {
        fprintf(stderr, "%s: expected INSTANCE and -o FILE.html (see %s "
                "--help)\n", cmd, cmd);
        return XT_EXIT_USAGE;
    }
    return -1;
}

/* ---------------------------------------------------------- exact */

/* The proven optimum: an optimal status, or a feasible network for
 * target 0 (whose loss 0 is then optimal). */
static void set_reference(xt_report *r)
{
    const xt_solve_result_struct *e = r->exact;
    int zero_target = r->inst->has_target && mpq_sgn(r->inst->target) == 0;
    if (e->status == XT_SOLVE_OPTIMAL && e->has_network) {
        mpq_set(r->reference, e->loss);
        r->has_reference = 1;
    } else if (e->status == XT_SOLVE_FEASIBLE && zero_target) {
        mpq_set_ui(r->reference, 0, 1);
        r->has_reference = 1;
    }
}

/* Makes an empty temporary file for the certificate; returns 0 or -1. */
static int temporary_path(char *path, size_t size)
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, size, "%s/xtrain-report-XXXXXX",
             dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    close(fd);
    return 0;
}

static void check_certificate(xt_report *r, const char *path)
{
    struct stat st;
    if (r->exact->status == XT_SOLVE_UNKNOWN)
        return;
    if (stat(path, &st) != 0 || st.st_size == 0) {
        r->certificate_state = XT_REPORT_CERT_MISSING;
        return;
    }
    r->certificate_error[0] = 0;
    xt_error_t err;
    xt_error_clear(&err);
    if (xt_check_certificate_file(r->certificate, r->inst, path, &err)) {
        r->certificate_state = XT_REPORT_CERT_UNREADABLE;
    } else {
        r->certificate_state = XT_REPORT_CERT_CHECKED;
    }
    snprintf(r->certificate_error, sizeof r->certificate_error, "%s",
             err.message);
}

static int run_exact(xt_report *r, report_args *a, const char *cmd)
{
    char temporary[4096];
    const char *path = a->certificate_path;
    if (!path) {
        if (temporary_path(temporary, sizeof temporary)) {
            fprintf(stderr, "%s: cannot create a temporary file in %s\n",
                    cmd, getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
            return XT_EXIT_USAGE;
        }
        path = temporary;
    }
    a->solve.certificate_path = path;
    xt_error_t err;
    xt_error_clear(&err);
    xt_log(2, "%s: solving %s exactly", cmd, a->instance_path);
    double start = xt_seconds();
    int status = xt_solve(r->exact, r->inst, &a->solve, &err);
    if (status == XT_ERR_INPUT) {
        /* Some methods write no certificate and reject a request for
         * one.  Solve again without it, and the page notes why. */
        snprintf(r->certificate_error, sizeof r->certificate_error, "%s",
                 err.message);
        a->solve.certificate_path = NULL;
        xt_solve_result_clear(r->exact);
        xt_solve_result_init(r->exact);
        xt_error_clear(&err);
        status = xt_solve(r->exact, r->inst, &a->solve, &err);
    }
    r->exact_seconds = xt_seconds() - start;
    if (status == XT_OK) {
        r->exact_ran = 1;
        set_reference(r);
        if (!a->solve.certificate_path)
            r->certificate_state = r->exact->status == XT_SOLVE_UNKNOWN
                                       ? XT_REPORT_CERT_NONE
                                       : XT_REPORT_CERT_MISSING;
        else
            check_certificate(r, path);
        r->certificate_kept = a->certificate_path;
    } else {
        snprintf(r->exact_error, sizeof r->exact_error, "%s", err.message);
        xt_log(1, "%s: exact solver: %s", cmd, err.message);
    }
    if (!a->certificate_path)
        remove(temporary);
    if (status == XT_ERR_INTERNAL || status == XT_ERR_NOMEM) {
        fprintf(stderr, "%s: exact solver: %s\n", cmd, err.message);
        return XT_EXIT_INTERNAL;
    }
    return XT_EXIT_OK;
}

/* ------------------------------------------------------------ SGD */

static void record_epoch(void *ctx, long restart, long epoch, double loss)
{
    xt_report *r = ctx;
    if (restart >= r->curve_count)
        return;
    xt_report_curve *c = &r->curves[restart];
    long last = r->sgd_opt->epochs;
    if (epoch % r->stride != 0 && epoch != last)
        return;
    if (c->count == XT_REPORT_CURVE_POINTS + 2)
        return;
    c->epoch[c->count] = (double)epoch;
    c->loss[c->count] = loss;
    c->count++;
}

static void announce_restart(void *ctx, long restart)
{
    xt_report *r = ctx;
    xt_progress("report: SGD restart %ld of %ld", restart + 1,
                r->sgd_opt->restarts);
}

static int allocate_curves(xt_report *r, long restarts)
{
    r->curve_count = restarts < XT_REPORT_MAX_CURVES ? restarts
                                                     : XT_REPORT_MAX_CURVES;
    r->curves = calloc((size_t)(r->curve_count ? r->curve_count : 1),
                       sizeof *r->curves);
    if (!r->curves)
        return -1;
    for (long i = 0; i < r->curve_count; i++) {
        r->curves[i].epoch = malloc((XT_REPORT_CURVE_POINTS + 2) *
                                    sizeof(double));
        r->curves[i].loss = malloc((XT_REPORT_CURVE_POINTS + 2) *
                                   sizeof(double));
        if (!r->curves[i].epoch || !r->curves[i].loss)
            return -1;
    }
    return 0;
}

static void count_successes(xt_report *r)
{
    mpq_t bound;
    mpq_init(bound);
    mpq_add(bound, r->reference, r->tolerance);
    for (long i = 0; i < r->sgd->restarts; i++) {
        if (r->sgd->info[i].diverged)
            continue;
        r->within += mpq_cmp(r->sgd->loss[i], bound) <= 0;
        r->zero += mpq_sgn(r->sgd->loss[i]) == 0;
    }
    mpq_clear(bound);
}

static int run_sgd(xt_report *r, report_args *a, const char *cmd)
{
    xt_sgd_options *opt = &a->sgd.opt;
    xt_error_t err;
    xt_error_clear(&err);
    r->sgd_opt = opt;
    r->stride = (opt->epochs + 1 + XT_REPORT_CURVE_POINTS - 1) /
                XT_REPORT_CURVE_POINTS;
    if (r->stride < 1)
        r->stride = 1;
    if (allocate_curves(r, opt->restarts)) {
        fprintf(stderr, "%s: out of memory for the loss curves\n", cmd);
        return XT_EXIT_INTERNAL;
    }
    opt->on_epoch = record_epoch;
    opt->on_restart = announce_restart;
    opt->ctx = r;
    int status = xt_sgd_run(r->sgd, r->inst, opt, &err);
    xt_progress_done();
    if (status != XT_OK) {
        snprintf(r->sgd_error, sizeof r->sgd_error, "%s", err.message);
        xt_log(1, "%s: SGD: %s", cmd, err.message);
        return status == XT_ERR_NOMEM ? XT_EXIT_INTERNAL : XT_EXIT_OK;
    }
    r->sgd_ran = 1;
    if (r->sgd->best >= 0 &&
        xt_sgd_network_to_exact(r->sgd_best, r->sgd->best_network, &err) ==
            XT_OK)
        r->has_sgd_best = 1;
    if (r->has_reference)
        count_successes(r);
    return XT_EXIT_OK;
}

/* ------------------------------------------------------- command */

static void report_init(xt_report *r)
{
    memset(r, 0, sizeof *r);
    xt_solve_result_init(r->exact);
    xt_check_report_init(r->certificate);
    xt_sgd_report_init(r->sgd);
    xt_network_init(r->sgd_best);
    mpq_inits(r->reference, r->tolerance, NULL);
    for (int i = 0; i < XT_DRAW_MAX_NETWORKS; i++)
        xt_network_init(r->extra[i]);
}

static void report_clear(xt_report *r)
{
    xt_solve_result_clear(r->exact);
    xt_check_report_clear(r->certificate);
    xt_sgd_report_clear(r->sgd);
    xt_network_clear(r->sgd_best);
    mpq_clears(r->reference, r->tolerance, NULL);
    for (int i = 0; i < XT_DRAW_MAX_NETWORKS; i++)
        xt_network_clear(r->extra[i]);
    for (long i = 0; r->curves && i < r->curve_count; i++) {
        free(r->curves[i].epoch);
        free(r->curves[i].loss);
    }
    free(r->curves);
}

/* Renders the page into memory and writes it only when complete. */
static int write_page(const xt_report *r, const char *path, const char *cmd)
{
    char *html = NULL;
    size_t len = 0;
    FILE *memory = open_memstream(&html, &len);
    if (!memory) {
        fprintf(stderr, "%s: out of memory\n", cmd);
        return XT_EXIT_INTERNAL;
    }
    xt_error_t err;
    xt_error_clear(&err);
    int status = xt_report_write_html(memory, r, &err);
    fclose(memory);
    int rc = XT_EXIT_OK;
    if (status != XT_OK) {
        fprintf(stderr, "%s: %s\n", cmd, err.message);
        rc = XT_EXIT_INTERNAL;
    } else {
        rc = xt_cli_write_bytes(cmd, path, html, len);
    }
    free(html);
    return rc;
}

static int run_report(report_args *a, xt_instance_t inst)
{
    const char *cmd = "xtrain report";
    xt_report r;
    report_init(&r);
    r.instance_path = a->instance_path;
    r.title = a->title;
    r.inst = inst;
    mpq_set(r.tolerance, a->tolerance);
    int rc = XT_EXIT_OK;
    for (int i = 0; i < a->count && rc == XT_EXIT_OK; i++) {
        rc = xt_cli_load_network(r.extra[i], cmd, a->files[i]);
        r.extra_names[i] = a->names[i];
    }
    r.extra_count = a->count;
    if (rc == XT_EXIT_OK)
        rc = run_exact(&r, a, cmd);
    if (rc == XT_EXIT_OK && !a->skip_sgd)
        rc = run_sgd(&r, a, cmd);
    if (a->skip_sgd)
        snprintf(r.sgd_error, sizeof r.sgd_error, "%s", a->sgd_error);
    if (rc == XT_EXIT_OK)
        rc = write_page(&r, a->output_path, cmd);
    if (rc == XT_EXIT_OK && xt_verbosity >= 1 &&
        strcmp(a->output_path, "-") != 0)
        printf("wrote %s\n", a->output_path);
    int proven = r.exact_ran && r.exact->status != XT_SOLVE_UNKNOWN;
    if (rc == XT_EXIT_OK && (!proven || r.sgd->interrupted))
        rc = XT_EXIT_UNKNOWN;
    report_clear(&r);
    return rc;
}

/* Checks the SGD settings against inst.  An instance SGD cannot train
 * (threshold networks, for one) still gets a page without the SGD part,
 * unless the user gave an initial network or a mask file. */
static int prepare_sgd(report_args *a, xt_instance_t inst)
{
    xt_error_t err;
    xt_error_clear(&err);
    if (!a->sgd.init_file && !a->sgd.mask_file &&
        xt_sgd_check_options(inst, &a->sgd.opt, &err) != XT_OK) {
        a->skip_sgd = 1;
        snprintf(a->sgd_error, sizeof a->sgd_error, "%s", err.message);
        xt_log(1, "xtrain report: no SGD runs: %s", err.message);
        return XT_EXIT_OK;
    }
    return xt_cli_sgd_prepare(&a->sgd, "xtrain report", inst);
}

int xt_cmd_report(int argc, char **argv)
{
    report_args a;
    memset(&a, 0, sizeof a);
    xt_cli_settings_init(&a.settings);
    xt_cli_sgd_init(&a.sgd);
    xt_solve_options_init(&a.solve);
    mpq_init(a.tolerance);
    mpq_set_ui(a.tolerance, 1, 1000000);

    int rc = parse_report(&a, argc, argv);
    if (rc < 0) {
        xt_instance_t inst;
        xt_instance_init(inst);
        rc = xt_cli_load_instance(inst, a.instance_path, &a.settings);
        if (rc == XT_EXIT_OK)
            rc = prepare_sgd(&a, inst);
        if (rc == XT_EXIT_OK)
            rc = run_report(&a, inst);
        xt_instance_clear(inst);
    }
    mpq_clear(a.tolerance);
    xt_cli_sgd_clear(&a.sgd);
    xt_cli_settings_clear(&a.settings);
    return rc;
}
