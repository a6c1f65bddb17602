/* SGD traps: small instances whose exact optimum is known and on which
 * SGD from standard initializations often stops above it.
 *
 *   hat     the 1-D tent relu(z + 1) - 2 relu(z) + relu(z - 1), z =
 *           (x - c) / w, at n evenly spaced points with z in [-2, 2], with
 *           k = 3: three neurons fit it exactly, but each must find its
 *           kink;
 *   xor     XOR on an affine image A u + c of the unit square's corners,
 *           k = 2: relu(l(x)) + relu(-l(x)) with l(x) = u1 - u2 fits it;
 *   search  planted candidates (seed, seed + 1, ...), each solved exactly
 *           and trained by SGD from He initializations; the first on
 *           which at least min_failure of the restarts end more than a
 *           tolerance above the optimum is returned.
 *
 * The search is the only generator that runs the exact solver and SGD;
 * its notes record every candidate it tried. */
#include <stdlib.h>
#include <string.h>
#include "gen_internal.h"
#include "xtrain/log.h"
#include "xtrain/solve.h"

/* Draws a shift c (quarters in [-2, 2]) and a width w (quarters in
 * [1/2, 2]), or c = 0 and w = 1 when plain. */
static void draw_shift_width(mpq_t c, mpq_t w, xt_rng_t *rng, int plain)
{
    if (plain) {
        mpq_set_si(c, 0, 1);
        mpq_set_si(w, 1, 1);
        return;
    }
    mpq_set_si(c, xt_gen_int(rng, -8, 8), 4);
    mpq_canonicalize(c);
    mpq_set_si(w, xt_gen_int(rng, 2, 8), 4);
    mpq_canonicalize(w);
}

static int trap_hat(xt_gen_result_t res, const xt_gen_options *opt,
                    xt_rng_t *rng, xt_error_t *err)
{
    if (opt->d != 1 || opt->n < 2) {
        xt_error_set(err, "the hat is 1-D with at least 2 points (got "
                     "--dim %d, --points %ld)", opt->d, opt->n);
        return XT_ERR_INPUT;
    }
    xt_network_t net;
    mpq_t c, w, z, u;
    xt_network_init(net);
    mpq_inits(c, w, z, u, NULL);
    draw_shift_width(c, w, rng, opt->plain);
    int rc = xt_network_resize(net, 1, 3, 1, err);
    if (rc == XT_OK)
        rc = xt_instance_resize(res->instance, opt->n, 1, 1, err);
    if (rc == XT_OK) {
        /* Neurons relu(z + 1), relu(z), relu(z - 1), z = (x - c) / w. */
        for (int s = 0; s < 3; s++) {
            mpq_inv(net->w[s], w);
            mpq_div(u, c, w);
            mpq_set_si(net->b[s], 1 - s, 1);
            mpq_sub(net->b[s], net->b[s], u);
            mpq_set_si(net->a[s], s == 1 ? -2 : 1, 1);
        }
        for (long i = 0; i < opt->n; i++) {
            /* z_i = -2 + 4 i / (n - 1), x_i = c + w z_i. */
            mpq_set_si(z, 4 * i, (unsigned long)(opt->n - 1));
            mpq_canonicalize(z);
            mpq_set_si(u, 2, 1);
            mpq_sub(z, z, u);
            mpq_mul(u, z, w);
            mpq_add(res->instance->x[i], u, c);
        }
        xt_gen_settings(res->instance, opt, XT_ACT_RELU, 3, 0, 0);
        xt_gen_label(res->instance, net);
        rc = xt_gen_note(res, "sgd trap: 1-D hat, tent of height 1 at "
                         "x = c + w z, z in [-2, 2]");
    }
    if (rc == XT_OK)
        rc = xt_gen_note_values(res, "shift c =", &c, 1);
    if (rc == XT_OK)
        rc = xt_gen_note_values(res, "width w =", &w, 1);
    if (rc == XT_OK)
        rc = xt_gen_set_answer(res, net, opt, err);
    mpq_clears(c, w, z, u, NULL);
    xt_network_clear(net);
    return rc;
}

/* Draws an invertible integer matrix A (row-major 2x2, entries in
 * [-2, 2]) and an integer shift c in [-2, 2]^2; plain gives A = I, c =
 * 0.  Returns the determinant. */
static long draw_affine(long a[4], long c[2], xt_rng_t *rng, int plain)
{
    if (plain) {
        a[0] = a[3] = 1;
        a[1] = a[2] = 0;
        c[0] = c[1] = 0;
        return 1;
    }
    long det;
    do {
        for (int i = 0; i < 4; i++)
            a[i] = xt_gen_int(rng, -2, 2);
        det = a[0] * a[3] - a[1] * a[2];
    } while (det == 0);
    c[0] = xt_gen_int(rng, -2, 2);
    c[1] = xt_gen_int(rng, -2, 2);
    return det;
}

static int trap_xor(xt_gen_result_t res, const xt_gen_options *opt,
                    xt_rng_t *rng, xt_error_t *err)
{
    if (opt->d != 2) {
        xt_error_set(err, "XOR is planar: --dim must be 2, not %d", opt->d);
        return XT_ERR_INPUT;
    }
    long a[4], c[2];
    long det = draw_affine(a, c, rng, opt->plain);
    xt_network_t net;
    xt_network_init(net);
    int rc = xt_network_resize(net, 2, 2, 1, err);
    if (rc == XT_OK)
        rc = xt_instance_resize(res->instance, 4, 2, 1, err);
    if (rc != XT_OK) {
        xt_network_clear(net);
        return rc;
    }
    /* l(x) = (1, -1) A^{-1} (x - c), A^{-1} = [a3 -a1; -a2 a0] / det. */
    mpq_t lw[2], u;
    mpq_inits(lw[0], lw[1], u, NULL);
    mpq_set_si(lw[0], a[3] + a[2], 1);
    mpq_set_si(lw[1], -a[1] - a[0], 1);
    mpq_set_si(u, det, 1);
    for (int s = 0; s < 2; s++) {
        mpq_div(lw[s], lw[s], u);
        mpq_set(net->w[s], lw[s]);
        mpq_neg(net->w[2 + s], lw[s]);
    }
    mpq_set_si(u, 0, 1);
    for (int s = 0; s < 2; s++) {
        mpq_t term;
        mpq_init(term);
        mpq_set_si(term, c[s], 1);
        mpq_mul(term, term, lw[s]);
        mpq_sub(u, u, term);
        mpq_clear(term);
    }
    mpq_set(net->b[0], u);
    mpq_neg(net->b[1], u);
    mpq_set_si(net->a[0], 1, 1);
    mpq_set_si(net->a[1], 1, 1);
    for (int i = 0; i < 4; i++) {
        long u1 = i & 1, u2 = i >> 1;
        mpq_set_si(res->instance->x[2 * i], a[0] * u1 + a[1] * u2 + c[0], 1);
        mpq_set_si(res->instance->x[2 * i + 1], a[2] * u1 + a[3] * u2 + c[1],
                   1);
        mpq_set_si(res->instance->y[i], u1 ^ u2, 1);
    }
    mpq_clears(lw[0], lw[1], u, NULL);
    xt_gen_settings(res->instance, opt, XT_ACT_RELU, 2, 0, 0);
    rc = xt_gen_note(res, "sgd trap: XOR at the corners A u + c of the "
                     "unit square, A = [%ld %ld; %ld %ld], c = (%ld, %ld)",
                     a[0], a[1], a[2], a[3], c[0], c[1]);
    if (rc == XT_OK)
        rc = xt_gen_set_answer(res, net, opt, err);
    xt_network_clear(net);
    return rc;
}

/* ------------------------------------------------------------- search */

/* Counts the restarts whose exact loss exceeds optimum + tol, where tol
 * is 1/1000 of (1 + the loss of the zero network) so that it scales
 * with the labels. */
static int count_failures(long *failed, long *total, mpq_t best,
                          const xt_instance_t inst, const mpq_t optimum,
                          const xt_gen_options *opt, uint64_t seed,
                          xt_error_t *err)
{
    xt_sgd_options sgd;
    xt_sgd_options_init(&sgd);
    sgd.optimizer = XT_SGD_ADAM;
    sgd.lr = 0.01;
    sgd.epochs = opt->epochs;
    sgd.restarts = opt->restarts;
    sgd.seed = seed;
    xt_sgd_report_t rep;
    xt_sgd_report_init(rep);
    int rc = xt_sgd_run(rep, inst, &sgd, err);
    if (rc == XT_OK) {
        mpq_t tol, zero;
        mpq_inits(tol, zero, NULL);
        for (long i = 0; i < inst->n; i++) {
            mpq_mul(zero, inst->y[i], inst->y[i]);
            mpq_add(tol, tol, zero);
        }
        mpq_set_si(zero, 1, 1);
        mpq_add(tol, tol, zero);
        mpq_set_si(zero, 1, 1000);
        mpq_mul(tol, tol, zero);
        mpq_add(tol, tol, optimum);
        *failed = rep->restarts - rep->finite;
        for (long r = 0; r < rep->restarts; r++)
            if (rep->info[r].diverged == 0 && mpq_cmp(rep->loss[r], tol) > 0)
                (*failed)++;
        *total = rep->restarts;
        mpq_set(best, rep->min);
        mpq_clears(tol, zero, NULL);
    }
    xt_sgd_report_clear(rep);
    return rc;
}

/* Solves cand exactly; returns XT_OK with *solved set when the optimum
 * was proven within the time limit. */
static int solve_candidate(xt_solve_result_t sol, int *solved,
                           const xt_instance_t cand,
                           const xt_gen_options *opt, xt_error_t *err)
{
    xt_solve_options sopt;
    xt_solve_options_init(&sopt);
    sopt.time_limit = opt->time_limit;
    sopt.threads = 1;
    int rc = xt_solve(sol, cand, &sopt, err);
    *solved = rc == XT_OK && sol->status == XT_SOLVE_OPTIMAL;
    return rc == XT_ERR_LIMIT ? XT_OK : rc;
}

/* Moves the candidate into res: its instance, the solver's network as
 * the answer (a proven optimum), the candidate's notes after the search
 * notes, and target 0 when the optimum is 0. */
static int keep_candidate(xt_gen_result_t res, xt_gen_result_t cand,
                          uint64_t seed, const xt_solve_result_t sol,
                          const xt_gen_options *opt, xt_error_t *err)
{
    xt_gen_result_struct swap = *res;
    *res = *cand;
    *cand = swap;
    char *search_notes = cand->notes, *cand_notes = res->notes;
    cand->notes = NULL;
    res->notes = search_notes;
    size_t len = cand_notes ? strlen(cand_notes) : 0;
    if (len > 0 && cand_notes[len - 1] == '\n')
        cand_notes[len - 1] = '\0';
    int rc = xt_gen_note(res, "kept candidate seed %llu:",
                         (unsigned long long)seed);
    if (rc == XT_OK && len > 0)
        rc = xt_gen_note(res, "%s", cand_notes);
    free(cand_notes);
    if (rc == XT_OK)
        rc = xt_network_set(res->answer, sol->network);
    if (rc != XT_OK) {
        xt_error_set(err, "out of memory for the answer");
        return rc;
    }
    res->has_answer = 1;
    res->answer_optimal = 1;
    mpq_set(res->answer_loss, sol->loss);
    if (mpq_sgn(sol->loss) == 0 && !opt->no_target) {
        res->instance->has_target = 1;
        mpq_set_si(res->instance->target, 0, 1);
    }
    return XT_OK;
}

/* Tries candidate number index: returns XT_OK and sets *found when it is
 * a trap, which is then moved into res. */
static int try_candidate(xt_gen_result_t res, int *found, long index,
                         const xt_gen_options *opt, xt_error_t *err)
{
    xt_gen_options cand_opt = *opt;
    cand_opt.seed = opt->seed + (uint64_t)index;
    cand_opt.no_target = 1;
    xt_gen_result_t cand;
    xt_gen_result_init(cand);
    xt_solve_result_t sol;
    xt_solve_result_init(sol);
    int solved = 0;
    long failed = 0, total = 0;
    mpq_t best;
    mpq_init(best);
    int rc = xt_gen_planted(cand, &cand_opt, err);
    if (rc == XT_OK)
        rc = solve_candidate(sol, &solved, cand->instance, opt, err);
    if (rc == XT_OK && solved)
        rc = count_failures(&failed, &total, best, cand->instance, sol->loss,
                            opt, cand_opt.seed, err);
    if (rc == XT_OK) {
        char *optimum = solved ? xt_rat_to_string(sol->loss) : NULL;
        /* The best SGD loss is a long dyadic rational: rounded for
         * people. */
        rc = xt_gen_note(res, "  candidate seed %llu: optimum %s, SGD "
                         "failed in %ld of %ld restarts, best SGD loss "
                         "%.4g", (unsigned long long)cand_opt.seed,
                         optimum ? optimum : "not proven in time", failed,
                         total, mpq_get_d(best));
        free(optimum);
        *found = solved && total > 0 &&
                 (double)failed >= opt->min_failure * (double)total;
    }
    if (rc == XT_OK && *found)
        rc = keep_candidate(res, cand, cand_opt.seed, sol, opt, err);
    mpq_clear(best);
    xt_solve_result_clear(sol);
    xt_gen_result_clear(cand);
    return rc;
}

static int trap_search(xt_gen_result_t res, const xt_gen_options *opt,
                       xt_error_t *err)
{
    if (opt->tries < 1 || opt->restarts < 1 || opt->epochs < 1 ||
        opt->min_failure <= 0 || opt->min_failure > 1) {
        xt_error_set(err, "the search needs tries, restarts and epochs of "
                     "at least 1 and a failure fraction in (0, 1]");
        return XT_ERR_INPUT;
    }
    int rc = xt_gen_note(res, "sgd trap search: planted candidates (d %d, "
                         "k %d, n %ld), Adam lr 0.01 from He normal, %ld "
                         "restarts of %ld epochs; a restart fails when its "
                         "exact loss exceeds the optimum by 1/1000 of (1 + "
                         "sum of squared labels); wanted: %g failing",
                         opt->d, opt->k, opt->n, opt->restarts, opt->epochs,
                         opt->min_failure);
    int found = 0;
    for (long i = 0; rc == XT_OK && !found && i < opt->tries; i++) {
        if (xt_interrupted()) {
            xt_error_set(err, "search interrupted after %ld candidates", i);
            return XT_ERR_LIMIT;
        }
        rc = try_candidate(res, &found, i, opt, err);
    }
    if (rc == XT_OK && !found) {
        xt_error_set(err, "no trap among %ld candidates; try other seeds, "
                     "more --tries or a lower --min-failure", opt->tries);
        rc = XT_ERR_LIMIT;
    }
    return rc;
}

int xt_gen_sgd_trap(xt_gen_result_t res, const xt_gen_options *given,
                    xt_error_t *err)
{
    const char *variant = given->variant ? given->variant : "hat";
    int hat = !strcmp(variant, "hat"), xor_ = !strcmp(variant, "xor");
    int search = !strcmp(variant, "search");
    if (!hat && !xor_ && !search) {
        xt_error_set(err, "unknown sgd-trap variant \"%s\" (expected hat, "
                     "xor or search)", variant);
        return XT_ERR_INPUT;
    }
    /* Defaults: the hat is 1-D with 3 neurons and 5 points, XOR has 4
     * points, the search 6; the others are planar with 2 neurons. */
    int d = 2, k = 2;
    long n = search ? 6 : 4;
    if (hat) {
        d = 1;
        k = 3;
        n = 5;
    }
    xt_gen_options defaults = xt_gen_with_defaults(given, d, k, n);
    const xt_gen_options *opt = &defaults;
    if (opt->hidden < 0 || opt->hidden > XT_MAX_HIDDEN) {
        xt_error_set(err, "invalid hidden count %d", opt->hidden);
        return XT_ERR_INPUT;
    }
    if (search) {
        int rc = xt_gen_check_teacher_options(opt, err);
        return rc == XT_OK ? trap_search(res, opt, err) : rc;
    }
    xt_rng_t rng;
    xt_rng_seed(&rng, opt->seed);
    return hat ? trap_hat(res, opt, &rng, err)
               : trap_xor(res, opt, &rng, err);
}
