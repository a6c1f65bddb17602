/* The CPLEX LP exports.  On seeded random tiny ReLU instances with one
 * output:
 *
 *   - the fixed-pattern program of the enumeration solver's optimal
 *     network, solved exactly with xt_lp_solve, has the optimum as value
 *     (l1, l2, linf);
 *   - GLPK reads the written pattern LP and its optimum matches (l1,
 *     linf);
 *   - GLPK reads the written big-M MIP (weights in [-100, 100]) and its
 *     optimum matches the enumeration optimum, and for threshold
 *     networks with zero-one loss the SMT optimum.
 *
 * GLPK works in double precision, so its values are compared within
 * 1e-6. */
#include <glpk.h>
#include <math.h>
#include <unistd.h>
#include "xt_test.h"
#include "xtrain/smt.h"
#include "xtrain/solve.h"
#include "../../solvers/smt/smt_internal.h"

static void random_instance(xt_instance_t inst, uint64_t *rng,
                            xt_activation act, xt_loss loss)
{
    long n = 3 + (long)(xt_test_rand(rng) % 3);
    int d = 1 + (int)(xt_test_rand(rng) % 2);

    xt_instance_resize(inst, n, d, 1, NULL);
    for (long i = 0; i < n * d; i++)
        mpq_set_si(inst->x[i], (long)(xt_test_rand(rng) % 5) - 2, 1);
    for (long i = 0; i < n; i++) {
        mpq_set_si(inst->y[i], (long)(xt_test_rand(rng) % 7) - 3, 2);
        mpq_canonicalize(inst->y[i]);
    }
    inst->hidden = 1 + (int)(xt_test_rand(rng) % 2);
    inst->activation = act;
    inst->loss = loss;
    inst->output_bias = (int)(xt_test_rand(rng) % 2);
    inst->convex = 0;
    inst->has_target = 0;
}

/* Solves the LP or MIP file with GLPK; returns its optimum or NAN. */
static double glpk_optimum(const char *path, int mip)
{
    glp_prob *p = glp_create_prob();
    glp_smcp smcp;
    glp_iocp iocp;
    double value = NAN;

    if (glp_read_lp(p, NULL, path) != 0) {
        XT_FAIL("GLPK cannot read %s", path);
        glp_delete_prob(p);
        return value;
    }
    glp_init_smcp(&smcp);
    glp_init_iocp(&iocp);
    iocp.presolve = GLP_ON;
    iocp.mip_gap = 0;
    if (!mip && glp_simplex(p, &smcp) == 0 && glp_get_status(p) == GLP_OPT)
        value = glp_get_obj_val(p);
    if (mip && glp_intopt(p, &iocp) == 0 && glp_mip_status(p) == GLP_OPT)
        value = glp_mip_obj_val(p);
    glp_delete_prob(p);
    return value;
}

/* The pattern and signs of a network (k ReLUs, one output). */
static unsigned char **pattern_of(const xt_network_t net,
                                  const xt_instance_t inst, int *sign)
{
    unsigned char **active = malloc((size_t)net->k * sizeof *active);
    mpq_t z, t;

    mpq_inits(z, t, NULL);
    for (int j = 0; j < net->k; j++) {
        active[j] = malloc((size_t)inst->n);
        for (long i = 0; i < inst->n; i++) {
            mpq_set(z, net->b[j]);
            for (int c = 0; c < net->d; c++) {
                mpq_mul(t, net->w[j * net->d + c], inst->x[i * inst->d + c]);
                mpq_add(z, z, t);
            }
            active[j][i] = mpq_sgn(z) > 0;
        }
        sign[j] = mpq_sgn(net->a[j]) < 0 ? -1 : 1;
    }
    mpq_clears(z, t, NULL);
    return active;
}

static void test_pattern(const xt_instance_t inst, const xt_network_t net,
                         const mpq_t optimum, const char *path, long c)
{
    int sign[8];
    unsigned char **active = pattern_of(net, inst, sign);
    xt_prog p;
    xt_lp_t lp;
    xt_lp_result_t res;
    xt_error_t err;

    xt_prog_init(&p);
    xt_lp_result_init(res);
    XT_CHECK(xt_smt_pattern_program(&p, inst, (const unsigned char *const *)
                                    active, sign, &err) == XT_OK);
    xt_prog_to_lp(lp, &p);
    XT_CHECK(xt_lp_solve(res, lp, &err) == XT_OK);
    XT_CHECK_INT(res->status, XT_LP_OPTIMAL);
    if (!mpq_equal(res->value, optimum))
        XT_FAIL("instance %ld: the pattern program's optimum differs", c);
    xt_lp_clear(lp);
    if (inst->loss != XT_LOSS_L2) {
        FILE *f = fopen(path, "w");
        XT_CHECK(xt_smt_write_pattern_lp(f, inst, (const unsigned char *const
                                                   *)active, sign, &err)
                 == XT_OK);
        fclose(f);
        double value = glpk_optimum(path, 0);
        if (!(fabs(value - mpq_get_d(optimum)) < 1e-6))
            XT_FAIL("instance %ld: GLPK's pattern optimum %g, expected %g",
                    c, value, mpq_get_d(optimum));
    }
    for (int j = 0; j < net->k; j++)
        free(active[j]);
    free(active);
    xt_lp_result_clear(res);
    xt_prog_clear(&p);
}

static void test_mip(const xt_instance_t inst, const mpq_t optimum,
                     const char *path, long c)
{
    mpq_t bound;
    xt_error_t err;

    mpq_init(bound);
    mpq_set_ui(bound, 100, 1);
    FILE *f = fopen(path, "w");
    XT_CHECK(xt_smt_write_mip(f, inst, bound, &err) == XT_OK);
    fclose(f);
    double value = glpk_optimum(path, 1);
    if (!(fabs(value - mpq_get_d(optimum)) < 1e-6))
        XT_FAIL("instance %ld (%s, %s): GLPK's MIP optimum %g, expected %g",
                c, xt_activation_name(inst->activation),
                xt_loss_name(inst->loss), value, mpq_get_d(optimum));
    mpq_clear(bound);
}

static void relu_instances(uint64_t *rng, long count, const char *path)
{
    xt_instance_t inst;
    xt_solve_options opt;
    xt_solve_result_t res;
    xt_error_t err;
    static const xt_loss losses[] = {XT_LOSS_L1, XT_LOSS_L2, XT_LOSS_LINF};

    xt_instance_init(inst);
    xt_solve_options_init(&opt);
    for (long c = 0; c < count; c++) {
        random_instance(inst, rng, XT_ACT_RELU, losses[c % 3]);
        xt_solve_result_init(res);
        if (xt_solve_enum(res, inst, &opt, &err) != XT_OK ||
            res->status != XT_SOLVE_OPTIMAL) {
            XT_FAIL("instance %ld: the enumeration solver failed: %s", c,
                    err.message);
        } else {
            test_pattern(inst, res->network, res->loss, path, c);
            if (inst->loss != XT_LOSS_L2)
                test_mip(inst, res->loss, path, c);
        }
        xt_solve_result_clear(res);
    }
    xt_instance_clear(inst);
}

/* Threshold networks with zero-one loss: the MIP against Z3. */
static void threshold_instances(uint64_t *rng, long count, const char *path)
{
    xt_instance_t inst;
    xt_solve_options opt;
    xt_smt_options_t smt;
    xt_solve_result_t res;
    xt_error_t err;

    xt_instance_init(inst);
    xt_solve_options_init(&opt);
    opt.time_limit = 60;
    xt_smt_options_init(smt);
    for (long c = 0; c < count; c++) {
        random_instance(inst, rng, XT_ACT_THRESHOLD, XT_LOSS_ZERO_ONE);
        xt_solve_result_init(res);
        XT_CHECK(xt_smt_solve(res, NULL, inst, &opt, smt, &err) == XT_OK);
        if (res->status != XT_SOLVE_OPTIMAL)
            XT_FAIL("threshold instance %ld: no SMT optimum", c);
        else
            test_mip(inst, res->loss, path, c);
        xt_solve_result_clear(res);
    }
    xt_smt_options_clear(smt);
    xt_instance_clear(inst);
}

int main(void)
{
    uint64_t rng = xt_test_seed();
    char path[] = "/tmp/xtrain-lp-XXXXXX";
    int fd = mkstemp(path);

    if (fd < 0) {
        XT_FAIL("cannot create a temporary file");
        return xt_test_finish("test_smt_lp");
    }
    close(fd);
    glp_term_out(GLP_OFF);
    relu_instances(&rng, xt_test_scale(45), path);
    threshold_instances(&rng, xt_test_scale(10), path);
    unlink(path);
    return xt_test_finish("test_smt_lp");
}
