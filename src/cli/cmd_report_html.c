/* The HTML page of `xtrain report`: one file with inline CSS and SVG, no
 * scripts, no external resources.  Exact values are shown as rationals
 * when short and as rounded decimals otherwise, with the exact value in a
 * tooltip. */
#include <stdlib.h>
#include <string.h>
#include "cmd_report.h"
#include "cmd_sgd.h"
#include "xtrain/draw.h"
#include "xtrain/rat.h"

#ifndef XT_VERSION
#define XT_VERSION "unknown"
#endif

/* Maximum length of an exact rational printed in full in the text. */
#define SHORT_RATIONAL 24

static const char page_style[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;"
    "max-width:1120px;margin:2em auto;padding:0 1em;color:#1b1b1b;"
    "line-height:1.45;background:#ffffff}\n"
    "h1{font-size:1.6em;margin-bottom:.2em}\n"
    "h2{font-size:1.2em;border-bottom:1px solid #d0d0d0;"
    "padding-bottom:.2em;margin-top:1.8em}\n"
    "p.lead{color:#555555;margin-top:0}\n"
    "table{border-collapse:collapse;margin:.6em 0}\n"
    "th,td{border:1px solid #d6d6d6;padding:.25em .6em;text-align:left;"
    "vertical-align:top}\n"
    "th{background:#f2f2f2}\n"
    "td.num{text-align:right;font-variant-numeric:tabular-nums}\n"
    "pre{background:#f6f6f6;border:1px solid #e0e0e0;padding:.6em;"
    "overflow-x:auto}\n"
    ".badge{display:inline-block;padding:.05em .5em;border-radius:.6em;"
    "font-size:.9em;font-weight:600}\n"
    ".ok{background:#d9f2dd;color:#1d5e2a}\n"
    ".warn{background:#fdf0cf;color:#6b4b00}\n"
    ".bad{background:#f9d7d7;color:#7a1c1c}\n"
    "p.note{color:#555555;font-style:italic}\n"
    "figure{margin:1em 0}\n"
    "figure svg{max-width:100%;height:auto;border:1px solid #e6e6e6}\n"
    "figcaption{color:#555555;font-size:.92em}\n"
    "footer{margin-top:3em;color:#777777;font-size:.85em}\n";

static void esc(FILE *f, const char *text)
{
    xt_draw_write_escaped(f, text);
}

/* Writes q: the exact rational when short (with a decimal for a
 * fraction), else a rounded decimal whose tooltip is the exact value. */
static void write_value(FILE *f, const mpq_t q)
{
    char decimal[64];
    char *exact = xt_rat_to_string(q);
    xt_cli_format_loss(decimal, sizeof decimal, q);
    if (exact && strlen(exact) <= SHORT_RATIONAL) {
        fprintf(f, "%s", exact);
        if (mpz_cmp_ui(mpq_denref(q), 1) != 0)
            fprintf(f, " &asymp; %s", decimal);
    } else {
        fprintf(f, "<span title=\"exact: %s\">&asymp; %s</span>",
                exact ? exact : "(out of memory)", decimal);
    }
    free(exact);
}

static void row_text(FILE *f, const char *key, const char *value)
{
    fprintf(f, "<tr><th>");
    esc(f, key);
    fprintf(f, "</th><td>");
    esc(f, value);
    fprintf(f, "</td></tr>\n");
}

static void row_value(FILE *f, const char *key, const mpq_t q)
{
    fprintf(f, "<tr><th>");
    esc(f, key);
    fprintf(f, "</th><td>");
    write_value(f, q);
    fprintf(f, "</td></tr>\n");
}

/* ------------------------------------------------------- instance */

static void write_data_table(FILE *f, const xt_instance_struct *inst)
{
    long shown = inst->n < XT_REPORT_MAX_DATA_ROWS ? inst->n
                                                   : XT_REPORT_MAX_DATA_ROWS;
    if (shown == 0)
        return;
    fprintf(f, "<table><tr><th>#</th>");
    for (int t = 0; t < inst->d; t++)
        fprintf(f, "<th>x%d</th>", t + 1);
    for (int o = 0; o < inst->m; o++)
        fprintf(f, inst->m > 1 ? "<th>y%d</th>" : "<th>y</th>", o + 1);
    fprintf(f, "</tr>\n");
    for (long i = 0; i < shown; i++) {
        fprintf(f, "<tr><td class=\"num\">%ld</td>", i + 1);
        for (int t = 0; t < inst->d; t++) {
            fprintf(f, "<td class=\"num\">");
            write_value(f, inst->x[i * inst->d + t]);
            fprintf(f, "</td>");
        }
        for (int o = 0; o < inst->m; o++) {
            fprintf(f, "<td class=\"num\">");
            write_value(f, inst->y[i * inst->m + o]);
            fprintf(f, "</td>");
        }
        fprintf(f, "</tr>\n");
    }
    fprintf(f, "</table>\n");
    if (shown < inst->n)
        fprintf(f, "<p class=\"note\">First %ld of %ld points.</p>\n", shown,
                inst->n);
}

static void write_instance(FILE *f, const xt_report *r)
{
    const xt_instance_struct *inst = r->inst;
    char text[64];
    fprintf(f, "<section><h2>Instance</h2>\n<table>\n");
    row_text(f, "file", r->instance_path);
    snprintf(text, sizeof text, "%ld", inst->n);
    row_text(f, "points n", text);
    snprintf(text, sizeof text, "%d", inst->d);
    row_text(f, "inputs d", text);
    snprintf(text, sizeof text, "%d", inst->m);
    row_text(f, "outputs m", text);
    snprintf(text, sizeof text, "%d", inst->hidden);
    row_text(f, "hidden neurons k", inst->hidden ? text : "not set");
    row_text(f, "activation", xt_activation_name(inst->activation));
    row_text(f, "loss", xt_loss_name(inst->loss));
    if (inst->has_target)
        row_value(f, "target", inst->target);
    else
        row_text(f, "target", "none: minimize the loss");
    row_text(f, "output bias", inst->output_bias ? "yes" : "no");
    row_text(f, "convex (all output weights +1)", inst->convex ? "yes"
                                                                : "no");
    fprintf(f, "</table>\n");
    write_data_table(f, inst);
    fprintf(f, "</section>\n");
}

/* --------------------------------------------------------- exact */

static void write_network_text(FILE *f, const xt_network_t net)
{
    char *text = NULL;
    size_t len = 0;
    FILE *memory = open_memstream(&text, &len);
    if (!memory)
        return;
    xt_network_write(memory, net);
    fclose(memory);
    fprintf(f, "<pre>");
    esc(f, text);
    fprintf(f, "</pre>\n");
    free(text);
}

static void write_status_badge(FILE *f, xt_solve_status status)
{
    const char *cls = status == XT_SOLVE_UNKNOWN ? "warn" : "ok";
    fprintf(f, "<span class=\"badge %s\">%s</span>", cls,
            xt_solve_status_name(status));
}

static void write_exact(FILE *f, const xt_report *r)
{
    const xt_solve_result_struct *e = r->exact;
    char text[160];
    fprintf(f, "<section><h2>Exact optimum</h2>\n");
    if (!r->exact_ran) {
        fprintf(f, "<p><span class=\"badge bad\">no answer</span> The exact "
                "solver did not run: ");
        esc(f, r->exact_error);
        fprintf(f, "</p></section>\n");
        return;
    }
    fprintf(f, "<p>Status ");
    write_status_badge(f, e->status);
    fprintf(f, " by the <code>%s</code> method in %.3f s.", e->method_name,
            r->exact_seconds);
    if (e->status == XT_SOLVE_UNKNOWN)
        fprintf(f, " The search stopped early (%s): the network below is "
                "the best found, not a proven optimum.",
                e->interrupted ? "interrupted" : "time limit");
    fprintf(f, "</p>\n<table>\n");
    if (e->has_network)
        row_value(f, e->status == XT_SOLVE_OPTIMAL ? "optimal loss"
                                                    : "loss of the network",
                  e->loss);
    if (e->has_lower)
        row_value(f, "proven lower bound", e->lower);
    snprintf(text, sizeof text, "%ld per neuron", e->dichotomies);
    row_text(f, "activation sets", text);
    snprintf(text, sizeof text, "%ld patterns, %ld subproblems solved, "
             "%ld pruned", e->patterns, e->subproblems, e->pruned);
    row_text(f, "search", text);
    fprintf(f, "</table>\n");
    if (e->has_network)
        write_network_text(f, e->network);
    fprintf(f, "</section>\n");
}

static void write_certificate(FILE *f, const xt_report *r)
{
    const xt_check_report_struct *c = r->certificate;
    fprintf(f, "<section><h2>Certificate</h2>\n");
    switch (r->certificate_state) {
    case XT_REPORT_CERT_NONE:
        fprintf(f, "<p class=\"note\">No proven answer, so there is no "
                "certificate to check.</p>\n");
        break;
    case XT_REPORT_CERT_MISSING:
        fprintf(f, "<p><span class=\"badge warn\">none</span> The "
                "<code>%s</code> method wrote no certificate",
                r->exact->method_name);
        if (r->certificate_error[0]) {
            fprintf(f, ": ");
            esc(f, r->certificate_error);
        }
        fprintf(f, ".</p>\n");
        break;
    case XT_REPORT_CERT_UNREADABLE:
        fprintf(f, "<p><span class=\"badge bad\">unreadable</span> ");
        esc(f, r->certificate_error);
        fprintf(f, "</p>\n");
        break;
    default:
        fprintf(f, "<p><span class=\"badge %s\">%s</span> The independent "
                "checker (no solver code, exact rationals) ",
                c->verified ? "ok" : "bad",
                c->verified ? "verified" : "rejected");
        if (c->verified)
            fprintf(f, "accepted the <code>");
        else
            fprintf(f, "rejected the <code>");
        esc(f, c->kind);
        fprintf(f, "</code> certificate after checking %ld patterns.",
                c->patterns);
        if (!c->verified) {
            fprintf(f, " First failed claim: ");
            esc(f, r->certificate_error);
        }
        fprintf(f, "</p>\n<table>\n");
        if (c->infeasible)
            row_text(f, "proven", "no network reaches the target");
        if (c->has_lower)
            row_value(f, "proven lower bound", c->lower);
        if (c->has_upper)
            row_value(f, "loss of the certificate's network", c->upper);
        fprintf(f, "</table>\n");
    }
    if (r->certificate_kept && r->certificate_state >= XT_REPORT_CERT_CHECKED)
    {
        fprintf(f, "<p>Saved as <code>");
        esc(f, r->certificate_kept);
        fprintf(f, "</code>; check it again with <code>xtrain check "
                "INSTANCE --certificate FILE</code>.</p>\n");
    }
    fprintf(f, "</section>\n");
}

/* ----------------------------------------------------------- SGD */

static void write_sgd_settings(FILE *f, const xt_sgd_options *o)
{
    fprintf(f, "<p>%ld restarts of %ld epochs: optimizer <code>%s</code>, "
            "learning rate %g, schedule <code>%s</code>, ", o->restarts,
            o->epochs, xt_sgd_optimizer_name(o->optimizer), o->lr,
            xt_sgd_schedule_name(o->schedule));
    if (o->batch > 0)
        fprintf(f, "batches of %ld, ", o->batch);
    else
        fprintf(f, "full batch, ");
    fprintf(f, "initialization <code>%s</code>, seed %llu.  Every final "
            "loss is the exact loss of the trained double weights.</p>\n",
            xt_sgd_init_name(o->init), (unsigned long long)o->seed);
}

static void summary_row(FILE *f, const char *label, const mpq_t loss,
                        const char *note)
{
    fprintf(f, "<tr><th>%s</th><td class=\"num\">", label);
    write_value(f, loss);
    fprintf(f, "</td><td>");
    esc(f, note);
    fprintf(f, "</td></tr>\n");
}

static void write_sgd_summary(FILE *f, const xt_report *r)
{
    const xt_sgd_report_struct *s = r->sgd;
    char note[160];
    fprintf(f, "<table><tr><th></th><th>loss</th><th>note</th></tr>\n");
    if (r->has_reference) {
        snprintf(note, sizeof note, "proven (%s, %.3f s)",
                 r->exact->method_name, r->exact_seconds);
        summary_row(f, "exact optimum", r->reference, note);
    }
    if (s->finite > 0) {
        snprintf(note, sizeof note, "restart %ld", s->best + 1);
        summary_row(f, "SGD best", s->min, note);
        summary_row(f, "SGD median", s->median, "");
        summary_row(f, "SGD worst", s->max, "");
    }
    fprintf(f, "</table>\n");
    long diverged = s->restarts - s->finite;
    if (diverged)
        fprintf(f, "<p>%ld of %ld restarts diverged (a weight became "
                "infinite or NaN).</p>\n", diverged, s->restarts);
    if (!r->has_reference) {
        fprintf(f, "<p class=\"note\">No proven optimum, so no success "
                "rate.</p>\n");
        return;
    }
    char *tolerance = xt_rat_to_string(r->tolerance);
    fprintf(f, "<p>Success rate: <strong>%ld of %ld</strong> restarts end "
            "within %s of the optimum", r->within, s->restarts,
            tolerance ? tolerance : "?");
    free(tolerance);
    if (mpq_sgn(r->reference) == 0)
        fprintf(f, "; %ld of %ld reach loss exactly 0", r->zero,
                s->restarts);
    fprintf(f, ".</p>\n");
}

static void write_restart_table(FILE *f, const xt_report *r)
{
    const xt_sgd_report_struct *s = r->sgd;
    mpq_t gap;
    mpq_init(gap);
    long shown = s->restarts < XT_REPORT_MAX_ROWS ? s->restarts
                                                  : XT_REPORT_MAX_ROWS;
    fprintf(f, "<table><tr><th>restart</th><th>seed</th><th>epochs</th>"
            "<th>exact final loss</th>%s</tr>\n",
            r->has_reference ? "<th>above the optimum</th><th>success</th>"
                             : "");
    for (long i = 0; i < shown; i++) {
        fprintf(f, "<tr><td class=\"num\">%ld</td><td class=\"num\">%llu"
                "</td><td class=\"num\">%ld</td><td class=\"num\">", i + 1,
                (unsigned long long)xt_sgd_restart_seed(r->sgd_opt->seed, i),
                s->info[i].epochs);
        if (s->info[i].diverged) {
            fprintf(f, "diverged</td>%s</tr>\n",
                    r->has_reference ? "<td></td><td>no</td>" : "");
            continue;
        }
        write_value(f, s->loss[i]);
        fprintf(f, "</td>");
        if (r->has_reference) {
            mpq_sub(gap, s->loss[i], r->reference);
            mpq_t bound;
            mpq_init(bound);
            mpq_set(bound, r->tolerance);
            fprintf(f, "<td class=\"num\">");
            write_value(f, gap);
            fprintf(f, "</td><td>%s</td>",
                    mpq_cmp(gap, bound) <= 0 ? "yes" : "no");
            mpq_clear(bound);
        }
        fprintf(f, "</tr>\n");
    }
    fprintf(f, "</table>\n");
    if (shown < s->restarts)
        fprintf(f, "<p class=\"note\">First %ld of %ld restarts.</p>\n",
                shown, s->restarts);
    mpq_clear(gap);
}

static void write_sgd(FILE *f, const xt_report *r)
{
    fprintf(f, "<section><h2>SGD against the exact optimum</h2>\n");
    if (!r->sgd_ran) {
        fprintf(f, "<p class=\"note\">No SGD runs: ");
        esc(f, r->sgd_error);
        fprintf(f, "</p></section>\n");
        return;
    }
    write_sgd_settings(f, r->sgd_opt);
    if (r->sgd->interrupted)
        fprintf(f, "<p><span class=\"badge warn\">interrupted</span> Only "
                "the restarts started before the interrupt are shown.</p>\n");
    write_sgd_summary(f, r);
    write_restart_table(f, r);
    fprintf(f, "</section>\n");
}

/* ------------------------------------------------------- figures */

/* Renders a figure into memory, so that a failure leaves a note in the
 * page instead of half a picture. */
static void write_figure(FILE *f, const char *caption, int status,
                         const char *svg, const xt_error_t *err)
{
    fprintf(f, "<figure>\n");
    if (status == XT_OK && svg)
        fputs(svg, f);
    else {
        fprintf(f, "<p class=\"note\">No picture: ");
        esc(f, err->message);
        fprintf(f, "</p>\n");
    }
    fprintf(f, "<figcaption>");
    esc(f, caption);
    fprintf(f, "</figcaption>\n</figure>\n");
}

static void write_curves(FILE *f, const xt_report *r)
{
    fprintf(f, "<section><h2>SGD loss curves</h2>\n");
    if (!r->sgd_ran || r->curve_count == 0) {
        fprintf(f, "<p class=\"note\">No SGD runs.</p></section>\n");
        return;
    }
    xt_chart_series *series = calloc((size_t)r->curve_count, sizeof *series);
    char (*names)[32] = calloc((size_t)r->curve_count, sizeof *names);
    char label[96], value[48];
    if (!series || !names) {
        free(series);
        free(names);
        fprintf(f, "<p class=\"note\">Out of memory.</p></section>\n");
        return;
    }
    for (long i = 0; i < r->curve_count; i++) {
        snprintf(names[i], sizeof names[i], "restart %ld", i + 1);
        series[i].name = names[i];
        series[i].count = r->curves[i].count;
        series[i].x = r->curves[i].epoch;
        series[i].y = r->curves[i].loss;
    }
    xt_chart_options opt;
    xt_chart_options_init(&opt);
    opt.inline_svg = 1;
    opt.log_y = 1;
    opt.title = "training loss per epoch (double precision)";
    opt.x_label = "epoch";
    opt.y_label = xt_loss_name(r->inst->loss);
    if (r->has_reference) {
        opt.has_reference = 1;
        opt.reference = mpq_get_d(r->reference);
        xt_draw_format_value(value, sizeof value, r->reference, 16);
        snprintf(label, sizeof label, "exact optimum %s", value);
        opt.reference_label = label;
    }

    char *svg = NULL;
    size_t len = 0;
    xt_error_t err;
    xt_error_clear(&err);
    FILE *memory = open_memstream(&svg, &len);
    int status = memory ? xt_draw_chart(memory, series, (int)r->curve_count,
                                        &opt, &err)
                        : XT_ERR_NOMEM;
    if (memory)
        fclose(memory);
    write_figure(f, "The instance loss of each restart in double "
                 "precision, on a log scale; the dashed line is the exact "
                 "optimum.", status, svg, &err);
    free(svg);
    free(series);
    free(names);
    fprintf(f, "</section>\n");
}

static void write_pictures(FILE *f, const xt_report *r)
{
    xt_draw_item items[XT_DRAW_MAX_NETWORKS];
    int count = 0;
    fprintf(f, "<section><h2>Pictures</h2>\n");
    if (r->inst->d > 2) {
        fprintf(f, "<p class=\"note\">Pictures need 1 or 2 inputs; this "
                "instance has %d.</p></section>\n", r->inst->d);
        return;
    }
    if (r->exact_ran && r->exact->has_network)
        items[count++] = (xt_draw_item){
            r->exact->status == XT_SOLVE_UNKNOWN ? "best exact search network"
                                                 : "exact optimum",
            r->exact->network};
    if (r->has_sgd_best)
        items[count++] = (xt_draw_item){"best SGD restart", r->sgd_best};
    for (int i = 0; i < r->extra_count; i++)
        items[count++] = (xt_draw_item){r->extra_names[i], r->extra[i]};

    xt_draw_options opt;
    xt_draw_options_init(&opt);
    opt.inline_svg = 1;
    opt.id_prefix = "picture";
    char *svg = NULL;
    size_t len = 0;
    xt_error_t err;
    xt_error_clear(&err);
    FILE *memory = open_memstream(&svg, &len);
    int status = memory ? xt_draw_svg(memory, r->inst, items, count, &opt,
                                      &err)
                        : XT_ERR_NOMEM;
    if (memory)
        fclose(memory);
    write_figure(f, r->inst->d == 1
                        ? "Data points and the function of each network; "
                          "circles mark the breakpoints."
                        : "One panel per network: linear regions computed "
                          "exactly and shaded by value, breaklines dashed, "
                          "points coloured by label on the same scale.",
                 status, svg, &err);
    free(svg);
    fprintf(f, "</section>\n");
}

int xt_report_write_html(FILE *f, const xt_report *r, xt_error_t *err)
{
    const char *name = xt_cli_base_name(r->instance_path);
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
            "<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width\">\n"
            "<link rel=\"icon\" href=\"data:,\">\n<title>");
    esc(f, r->title ? r->title : "xtrain report");
    fprintf(f, ": ");
    esc(f, name);
    fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>",
            page_style);
    esc(f, r->title ? r->title : "xtrain report");
    fprintf(f, ": ");
    esc(f, name);
    fprintf(f, "</h1>\n<p class=\"lead\">Exact training of a two-layer "
            "network next to gradient descent.  Exact values are "
            "rationals; decimals are rounded for reading, and a value "
            "shown with &asymp; has its exact form in a tooltip.</p>\n");
    write_instance(f, r);
    write_exact(f, r);
    write_certificate(f, r);
    write_sgd(f, r);
    write_curves(f, r);
    write_pictures(f, r);
    fprintf(f, "<footer>Written by xtrain %s.</footer>\n</body>\n</html>\n",
            XT_VERSION);
    if (ferror(f)) {
        xt_error_set(err, "writing the page failed");
        return XT_ERR_IO;
    }
    return XT_OK;
}
