/* The results `xtrain report` collects and the HTML page it writes. */
#ifndef XT_CMD_REPORT_H
#define XT_CMD_REPORT_H

#include <stdio.h>
#include <gmp.h>
#include "cmd_draw.h"
#include "xtrain/check.h"
#include "xtrain/sgd.h"
#include "xtrain/solve.h"

/* Most points of one loss curve kept for the chart, and most curves. */
#define XT_REPORT_CURVE_POINTS 400
#define XT_REPORT_MAX_CURVES 50
/* Most restarts listed one by one, and most data rows shown. */
#define XT_REPORT_MAX_ROWS 100
#define XT_REPORT_MAX_DATA_ROWS 40

/* One restart's double loss after every stride-th epoch. */
typedef struct {
    long count;
    double *epoch, *loss;
} xt_report_curve;

typedef struct {
    const char *instance_path;
    const char *title;
    const xt_instance_struct *inst;

    /* The exact solver. */
    int exact_ran;                  /* xt_solve returned XT_OK */
    char exact_error[XT_ERROR_MAX];
    xt_solve_result_t exact;
    double exact_seconds;
    int has_reference;              /* a proven optimum to compare with */
    mpq_t reference;

    /* The certificate and the independent checker's verdict. */
    int certificate_state;          /* see enum below */
    char certificate_error[XT_ERROR_MAX];
    xt_check_report_t certificate;
    const char *certificate_kept;   /* path when the user asked for one */

    /* SGD. */
    int sgd_ran;
    char sgd_error[XT_ERROR_MAX];
    const xt_sgd_options *sgd_opt;
    xt_sgd_report_t sgd;
    int has_sgd_best;
    xt_network_t sgd_best;
    mpq_t tolerance;
    long within, zero;
    long stride;                    /* epochs between curve points */
    long curve_count;
    xt_report_curve *curves;

    /* Networks the user added to the pictures. */
    int extra_count;
    const char *extra_names[XT_DRAW_MAX_NETWORKS];
    xt_network_t extra[XT_DRAW_MAX_NETWORKS];
} xt_report;

enum {
    XT_REPORT_CERT_NONE = 0,        /* no proven answer, nothing to check */
    XT_REPORT_CERT_MISSING,         /* the method wrote no certificate */
    XT_REPORT_CERT_CHECKED,         /* the checker ran: see certificate */
    XT_REPORT_CERT_UNREADABLE       /* the checker could not read it */
};

/* Writes the whole page to stream.  Returns XT_OK, or the error of a
 * picture that could not be drawn (the page is then incomplete). */
int xt_report_write_html(FILE *stream, const xt_report *r,
                         xt_error_t *err);

#endif
