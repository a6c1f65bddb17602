/* Tests of the enumeration solver's tree search.  It must agree with the
 * plain enumeration (--naive) on seeded random instances, with every
 * certificate verified by the independent checker, and return the same
 * network for any number of threads.  The exact working-set certificate
 * is checked against src/lp, and a tampered suffix bound is rejected. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "xt_test.h"
#include "xtrain/check.h"
#include "xtrain/instance.h"
#include "xtrain/lp.h"
#include "xtrain/network.h"
#include "xtrain/solve.h"
#include "../../solvers/enum/enum_internal.h"

typedef struct {
    xt_solve_status status;
    int has_network;
    mpq_t loss;
    xt_network_t net;
    int verified;
} outcome;

static void outcome_init(outcome *o)
{
    memset(o, 0, sizeof *o);
    mpq_init(o->loss);
    xt_network_init(o->net);
}

static void outcome_clear(outcome *o)
{
    mpq_clear(o->loss);
    xt_network_clear(o->net);
}

/* Solves with enum (naive or the tree search with `threads` threads),
 * writes a certificate to cert_path (a temporary file when NULL) and
 * checks it. */
static void solve(outcome *o, const xt_instance_t inst, int naive,
                  int threads, double time_limit, const char *cert_path)
{
    char path[] = "/tmp/xtrain-test-speed-XXXXXX";
    if (!cert_path) {
        int fd = mkstemp(path);
        close(fd);
        cert_path = path;
    }
    xt_solve_options opt;
    xt_solve_options_init(&opt);
    opt.method = XT_METHOD_ENUM;
    opt.naive = naive;
    opt.threads = threads;
    opt.time_limit = time_limit;
    opt.certificate_path = cert_path;
    xt_solve_result_t res;
    xt_solve_result_init(res);
    xt_error_t err;
    xt_error_clear(&err);
    int rc = xt_solve(res, inst, &opt, &err);
    XT_CHECK_INT(rc, XT_OK);
    if (rc != XT_OK)
        fprintf(stderr, "solve: %s\n", err.message);
    o->status = res->status;
    o->has_network = res->has_network;
    mpq_set(o->loss, res->loss);
    if (res->has_network)
        xt_network_set(o->net, res->network);

    if (res->status != XT_SOLVE_UNKNOWN) {
        xt_check_report_t rep;
        xt_check_report_init(rep);
        XT_CHECK_INT(xt_check_certificate_file(rep, inst, cert_path, &err),
                     XT_OK);
        o->verified = rep->verified;
        if (!rep->verified)
            fprintf(stderr, "certificate (naive %d): %s\n", naive,
                    err.message);
        if (res->status == XT_SOLVE_OPTIMAL)
            XT_CHECK(rep->has_lower && mpq_equal(rep->lower, res->loss));
        xt_check_report_clear(rep);
    }
    xt_solve_result_clear(res);
    if (cert_path == path)
        remove(path);
}

static void random_rational(mpq_t q, uint64_t *state, int range, int den)
{
    long num = (long)(xt_test_rand(state) % (2 * range + 1)) - range;
    mpq_set_si(q, num, 1 + (unsigned long)(xt_test_rand(state) % den));
    mpq_canonicalize(q);
}

/* A random small instance; duplicates and collinear points are common
 * because the coordinates come from a short range. */
static void random_instance(xt_instance_t inst, uint64_t *state)
{
    int k = 1 + (int)(xt_test_rand(state) % 3);
    int d = k == 3 ? 1 : 1 + (int)(xt_test_rand(state) % 2);
    long n = 2 + (long)(xt_test_rand(state) % (k == 1 ? 5 : 4));
    int xden = xt_test_rand(state) % 3 == 0 ? 3 : 1;
    xt_instance_resize(inst, n, d, 1, NULL);
    for (long i = 0; i < n * d; i++)
        random_rational(inst->x[i], state, 3, xden);
    for (long i = 0; i < n; i++)
        random_rational(inst->y[i], state, 4, 2);
    inst->loss = (xt_loss)(xt_test_rand(state) % 3);
    inst->output_bias = (int)(xt_test_rand(state) % 2);
    inst->convex = xt_test_rand(state) % 4 == 0;
    inst->hidden = k;
    inst->has_target = xt_test_rand(state) % 3 == 0;
    if (inst->has_target)
        mpq_set_si(inst->target, (long)(xt_test_rand(state) % 6), 2);
}

/* The tree search prunes with suffix bounds, incumbent cut-offs, the
 * target and symmetry; the plain enumeration does none of it.  Both must
 * give the same status and optimum. */
static void test_against_naive(void)
{
    uint64_t state = xt_test_seed() ^ 0x7a11;
    long rounds = xt_test_scale(30);
    for (long r = 0; r < rounds; r++) {
        xt_instance_t inst;
        xt_instance_init(inst);
        random_instance(inst, &state);
        outcome tree, naive;
        outcome_init(&tree);
        outcome_init(&naive);
        solve(&tree, inst, 0, 1, 0, NULL);
        solve(&naive, inst, 1, 1, 0, NULL);
        XT_CHECK_INT(tree.status, naive.status);
        XT_CHECK(tree.verified);
        XT_CHECK(naive.verified);
        if (naive.status == XT_SOLVE_OPTIMAL)
            XT_CHECK(mpq_equal(tree.loss, naive.loss));
        if (tree.status != naive.status ||
            (naive.status == XT_SOLVE_OPTIMAL &&
             !mpq_equal(tree.loss, naive.loss)) ||
            !tree.verified) {
            fprintf(stderr, "round %ld, instance:\n", r);
            xt_instance_write(stderr, inst);
        }
        outcome_clear(&tree);
        outcome_clear(&naive);
        xt_instance_clear(inst);
    }
}

static int same_network(const xt_network_t a, const xt_network_t b)
{
    if (a->d != b->d || a->k != b->k || a->m != b->m ||
        a->has_output_bias != b->has_output_bias)
        return 0;
    for (int i = 0; i < a->k * a->d; i++)
        if (!mpq_equal(a->w[i], b->w[i]))
            return 0;
    for (int j = 0; j < a->k; j++)
        if (!mpq_equal(a->b[j], b->b[j]) || !mpq_equal(a->a[j], b->a[j]))
            return 0;
    return mpq_equal(a->c[0], b->c[0]);
}

/* Labels from a teacher plus noise on n points of a small grid. */
static void teacher_instance(xt_instance_t inst, uint64_t *state, long n,
                             int d, int k, xt_loss loss, int noise)
{
    xt_instance_resize(inst, n, d, 1, NULL);
    long w[8][4], b[8], a[8];
    for (int j = 0; j < k; j++) {
        for (int t = 0; t < d; t++)
            w[j][t] = (long)(xt_test_rand(state) % 7) - 3;
        b[j] = (long)(xt_test_rand(state) % 9) - 4;
        a[j] = xt_test_rand(state) % 2 ? 1 : -1;
    }
    for (long i = 0; i < n; i++) {
        long y = noise ? (long)(xt_test_rand(state) % (2 * noise + 1)) -
                             noise
                       : 0;
        for (int t = 0; t < d; t++)
            mpq_set_si(inst->x[i * d + t],
                       (long)(xt_test_rand(state) % 21) - 10, 1);
        for (int j = 0; j < k; j++) {
            long z = b[j];
            for (int t = 0; t < d; t++)
                z += w[j][t] * mpz_get_si(mpq_numref(inst->x[i * d + t]));
            y += z > 0 ? a[j] * z : 0;
        }
        mpq_set_si(inst->y[i], y, 1);
    }
    inst->loss = loss;
    inst->hidden = k;
}

/* Ties are broken by the order of the tasks, so every thread count
 * returns the same network. */
static void test_threads_identical(void)
{
    uint64_t state = xt_test_seed() ^ 0x7eed;
    const xt_loss losses[3] = {XT_LOSS_L2, XT_LOSS_L1, XT_LOSS_LINF};
    const long sizes[3] = {16, 8, 9};
    for (int t = 0; t < 3; t++) {
        xt_instance_t inst;
        xt_instance_init(inst);
        teacher_instance(inst, &state, sizes[t], 2, 2, losses[t], 3);
        outcome one;
        outcome_init(&one);
        solve(&one, inst, 0, 1, 0, NULL);
        XT_CHECK_INT(one.status, XT_SOLVE_OPTIMAL);
        XT_CHECK(one.verified);
        for (int threads = 2; threads <= 4; threads += 2) {
            outcome many;
            outcome_init(&many);
            solve(&many, inst, 0, threads, 0, NULL);
            XT_CHECK(mpq_equal(one.loss, many.loss));
            XT_CHECK(same_network(one.net, many.net));
            XT_CHECK(many.verified);
            outcome_clear(&many);
        }
        outcome_clear(&one);
        xt_instance_clear(inst);
    }
}

/* A teacher's own labels: the optimum is 0 on a larger instance. */
static void test_planted_zero(void)
{
    uint64_t state = xt_test_seed() ^ 0x9a17;
    xt_instance_t inst;
    xt_instance_init(inst);
    teacher_instance(inst, &state, 24, 2, 2, XT_LOSS_L2, 0);
    outcome o;
    outcome_init(&o);
    solve(&o, inst, 0, 2, 0, NULL);
    XT_CHECK_INT(o.status, XT_SOLVE_OPTIMAL);
    XT_CHECK_RAT(o.loss, "0");
    XT_CHECK(o.verified);
    outcome_clear(&o);
    xt_instance_clear(inst);
}

/* Medium instances with noise, where the suffix bounds are positive.
 * The decision problems at the optimum and just below it have no
 * incumbent to hide a bound that is too high.  The first must find a
 * network and the second must prove infeasibility, and the checker
 * re-derives every pattern and every suffix bound. */
static void test_medium_decisions(void)
{
    uint64_t state = xt_test_seed() ^ 0x3ed1;
    const int shapes[3][3] = {{30, 1, 3}, {16, 2, 2}, {9, 3, 2}};
    for (int t = 0; t < 3; t++) {
        xt_instance_t inst;
        xt_instance_init(inst);
        teacher_instance(inst, &state, shapes[t][0], shapes[t][1],
                         shapes[t][2], XT_LOSS_L2, 4);
        outcome o;
        outcome_init(&o);
        solve(&o, inst, 0, 2, 0, NULL);
        XT_CHECK_INT(o.status, XT_SOLVE_OPTIMAL);
        XT_CHECK(o.verified);

        inst->has_target = 1;
        mpq_set(inst->target, o.loss);
        outcome at;
        outcome_init(&at);
        solve(&at, inst, 0, 1, 0, NULL);
        XT_CHECK_INT(at.status, XT_SOLVE_FEASIBLE);
        XT_CHECK(at.verified);
        outcome_clear(&at);

        mpq_t tiny;
        mpq_init(tiny);
        mpq_set_ui(tiny, 1, 1000);
        mpq_sub(inst->target, o.loss, tiny);
        mpq_clear(tiny);
        if (mpq_sgn(inst->target) >= 0) {
            outcome below;
            outcome_init(&below);
            solve(&below, inst, 0, 1, 0, NULL);
            XT_CHECK_INT(below.status, XT_SOLVE_INFEASIBLE);
            XT_CHECK(below.verified);
            outcome_clear(&below);
        }
        outcome_clear(&o);
        xt_instance_clear(inst);
    }
}

/* Coordinates too large for the int64 fast path take the exact path of
 * src/lp for every node, with the same optimum. */
static void test_large_values(void)
{
    uint64_t state = xt_test_seed() ^ 0x1a29e;
    for (int r = 0; r < 3; r++) {
        xt_instance_t inst;
        xt_instance_init(inst);
        teacher_instance(inst, &state, 5, 1 + r % 2, 2, XT_LOSS_L2, 2);
        mpq_t big;
        mpq_init(big);
        mpq_set_str(big, "1000000000000000000000", 10);
        for (long i = 0; i < inst->n * inst->d; i++)
            mpq_mul(inst->x[i], inst->x[i], big);
        mpq_clear(big);
        outcome tree, naive;
        outcome_init(&tree);
        outcome_init(&naive);
        solve(&tree, inst, 0, 1, 0, NULL);
        solve(&naive, inst, 1, 1, 0, NULL);
        XT_CHECK(mpq_equal(tree.loss, naive.loss));
        XT_CHECK(tree.verified);
        outcome_clear(&tree);
        outcome_clear(&naive);
        xt_instance_clear(inst);
    }
}

/* A time limit that has passed before the search starts proves
 * nothing. */
static void test_time_limit(void)
{
    uint64_t state = xt_test_seed() ^ 0x71;
    xt_instance_t inst;
    xt_instance_init(inst);
    teacher_instance(inst, &state, 30, 2, 2, XT_LOSS_L2, 3);
    outcome o;
    outcome_init(&o);
    solve(&o, inst, 0, 1, 1e-9, NULL);
    XT_CHECK_INT(o.status, XT_SOLVE_UNKNOWN);
    outcome_clear(&o);
    xt_instance_clear(inst);
}

/* Replaces the value after the last `"lower": ` by a huge one. */
static int inflate_last_lower(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    static char text[1 << 24];
    size_t len = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[len] = 0;
    char *last = NULL, *at = text;
    while ((at = strstr(at, "\"lower\": \"")) != NULL)
        last = at++;
    if (!last || len == sizeof text - 1)
        return 0;
    char *value = last + strlen("\"lower\": \"");
    char *end = strchr(value, '"');
    f = fopen(path, "wb");
    if (!f || !end)
        return 0;
    fwrite(text, 1, (size_t)(value - text), f);
    fputs("1000000", f);
    fputs(end, f);
    fclose(f);
    return 1;
}

/* The checker rejects a suffix bound above what its patterns prove. */
static void test_tampered_rest(void)
{
    uint64_t state = xt_test_seed() ^ 0x7a3;
    xt_instance_t inst;
    xt_instance_init(inst);
    teacher_instance(inst, &state, 10, 2, 2, XT_LOSS_L2, 3);
    char path[] = "/tmp/xtrain-test-rest-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    outcome o;
    outcome_init(&o);
    solve(&o, inst, 0, 1, 0, path);
    XT_CHECK(o.verified);
    XT_CHECK(inflate_last_lower(path));
    xt_check_report_t rep;
    xt_check_report_init(rep);
    xt_error_t err;
    xt_error_clear(&err);
    XT_CHECK_INT(xt_check_certificate_file(rep, inst, path, &err), XT_OK);
    XT_CHECK(!rep->verified);
    xt_check_report_clear(rep);
    outcome_clear(&o);
    remove(path);
    xt_instance_clear(inst);
}

/* ---- The exact working-set certificate against src/lp ---- */

/* Builds a random node QP on m points of D with random activity and
 * solves it numerically, exactly from the working set, and with src/lp.
 * A certified value is a lower bound, equal to the optimum when its
 * point is feasible. */
static void check_one_node(const xt_instance_t inst, const xt_enum_data *D,
                           long m, uint64_t *state, int *agreed)
{
    int k = D->k, p = D->p, d1 = D->d + 1;
    int sign[4];
    long pts[16];
    signed char sigma[64];
    unsigned char active[64];
    int64_t g[169] = {0}, h[13] = {0}, tt = 0;
    for (int j = 0; j < k; j++)
        sign[j] = xt_test_rand(state) % 2 ? 1 : -1;
    for (long r = 0; r < m; r++) {
        pts[r] = r;
        int64_t row[13] = {0};
        for (int j = 0; j < k; j++) {
            int on = (int)(xt_test_rand(state) % 2);
            sigma[r * k + j] = on ? 1 : -1;
            active[j * m + r] = (unsigned char)on;
            for (int t = 0; on && t < d1; t++)
                row[j * d1 + t] = sign[j] * D->v[r * d1 + t];
        }
        if (D->bias_col >= 0)
            row[D->bias_col] = 1;
        for (int a = 0; a < p; a++) {
            for (int b = 0; b < p; b++)
                g[a * p + b] += row[a] * row[b];
            h[a] += row[a] * D->t[r];
        }
        tt += D->t[r] * D->t[r];
    }
    xt_node_qp P = {p, k, d1, m, g, h, tt, D->v, D->vd, D->vinv, pts,
                    sigma};
    xt_qpnum num;
    xt_qpexact ex;
    xt_qpnum_init(&num, p);
    xt_qpexact_init(&ex, p, d1);
    double value;
    if (xt_qpnum_solve(&num, &P, NULL, 0, &value) &&
        xt_qpexact_certify(&ex, &P, num.w, num.nw, 1) == 1) {
        xt_pattern_layout lay;
        xt_pattern_layout_set(&lay, inst, k, m);
        xt_lp_t lp;
        xt_lp_init(lp, lay.ncols);
        XT_CHECK_INT(xt_pattern_build_subset(lp, &lay, inst, pts, m, sign,
                                             active), XT_OK);
        xt_lp_result_t res;
        xt_lp_result_init(res);
        xt_error_t err;
        XT_CHECK_INT(xt_lp_solve(res, lp, &err), XT_OK);
        XT_CHECK_INT(res->status, XT_LP_OPTIMAL);
        /* Both in the instance's integer units: D_x = D_y = 1. */
        XT_CHECK(mpq_cmp(ex.value, res->value) <= 0);
        if (ex.feasible) {
            XT_CHECK(mpq_equal(ex.value, res->value));
            *agreed += 1;
        }
        xt_lp_result_clear(res);
        xt_lp_clear(lp);
    }
    xt_qpnum_clear(&num);
    xt_qpexact_clear(&ex);
}

static void test_certify_against_lp(void)
{
    uint64_t state = xt_test_seed() ^ 0xce47;
    long rounds = xt_test_scale(40);
    int agreed = 0;
    for (long r = 0; r < rounds; r++) {
        int k = 1 + (int)(r % 3), d = 1 + (int)(r % 2);
        xt_instance_t inst;
        xt_instance_init(inst);
        teacher_instance(inst, &state, 8, d, k, XT_LOSS_L2, 4);
        inst->output_bias = (int)(r % 4 == 1);
        xt_enum_data D;
        XT_CHECK_INT(xt_enum_data_init(&D, inst, k), XT_OK);
        XT_CHECK(D.fits);
        check_one_node(inst, &D, 2 + (long)(r % 7), &state, &agreed);
        xt_enum_data_clear(&D);
        xt_instance_clear(inst);
    }
    /* Most random nodes certify their optimum directly. */
    XT_CHECK(agreed >= rounds / 2);
}

/* ---- Suffix trees restricted from the tree of all points ---- */

/* Compares the restriction of full to its last s positions with the tree
 * that xt_dichotomies builds directly on those points. */
static void check_restrict(const xt_instance_t inst, const xt_enum_tree *full,
                           long s)
{
    xt_error_t err;
    xt_error_clear(&err);
    xt_enum_tree direct, cut;
    memset(&cut, 0, sizeof cut);
    long off = full->s - s;
    XT_CHECK_INT(xt_enum_tree_build(&direct, inst, full->pts + off, s, 0,
                                    &err), XT_OK);
    XT_CHECK_INT(xt_enum_tree_restrict(&cut, full, s, &err), XT_OK);
    XT_CHECK_INT(cut.s, s);
    XT_CHECK(cut.pts == full->pts + off);
    XT_CHECK_INT(cut.sets.words, direct.sets.words);
    XT_CHECK_INT(cut.sets.count, direct.sets.count);
    size_t words = direct.sets.words;
    if (cut.sets.count == direct.sets.count && cut.sets.words == words) {
        size_t bytes = direct.sets.count * words * sizeof(uint64_t);
        XT_CHECK(memcmp(cut.sets.sets, direct.sets.sets, bytes) == 0);
    }
    xt_enum_tree_clear(&cut);
    xt_enum_tree_clear(&direct);
}

/* Random integer points from a short range, so repeated and collinear
 * points are common, and sizes that cross the 64-bit word boundary of
 * the bitsets. */
static void test_tree_restrict(void)
{
    uint64_t state = xt_test_seed() ^ 0x5eb5;
    long rounds = xt_test_scale(12);
    for (long r = 0; r < rounds; r++) {
        int d = 1 + (int)(r % 3);
        long n = d == 3 ? 4 + (long)(xt_test_rand(&state) % 14)
                        : 20 + (long)(xt_test_rand(&state) % 60);
        int range = r % 2 ? 3 : 40;
        xt_instance_t inst;
        xt_instance_init(inst);
        xt_instance_resize(inst, n, d, 1, NULL);
        for (long i = 0; i < n * d; i++)
            mpq_set_si(inst->x[i], (long)(xt_test_rand(&state) %
                                          (2 * range + 1)) - range, 1);
        long *pts = malloc((size_t)n * sizeof *pts);
        for (long i = 0; i < n; i++)
            pts[i] = i;
        for (long i = n - 1; i > 0; i--) {
            long j = (long)(xt_test_rand(&state) % (uint64_t)(i + 1));
            long t = pts[i];
            pts[i] = pts[j];
            pts[j] = t;
        }
        xt_error_t err;
        xt_error_clear(&err);
        xt_enum_tree full;
        XT_CHECK_INT(xt_enum_tree_build(&full, inst, pts, n, 0, &err),
                     XT_OK);
        long sizes[] = {1, 2, n / 2, 63, 64, 65, n - 1, n};
        for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
            if (sizes[i] >= 1 && sizes[i] <= n)
                check_restrict(inst, &full, sizes[i]);
        xt_enum_tree_clear(&full);
        free(pts);
        xt_instance_clear(inst);
    }
}

int main(void)
{
    xt_test_seed();
    test_certify_against_lp();
    test_tree_restrict();
    test_against_naive();
    test_threads_identical();
    test_planted_zero();
    test_medium_decisions();
    test_large_values();
    test_time_limit();
    test_tampered_rest();
    return xt_test_finish("test_enum_speed");
}
