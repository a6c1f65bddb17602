/* Z3 decisions on hand-solved instances: every activation and loss,
 * output bias, convex networks, several outputs, weight bounds, both
 * ReLU encodings, irrational targets and the time limit.  Each case has
 * its optimum derived by hand in the comment; Z3 must find a network at
 * the optimum (verified exactly) and prove that none is below it. */
#include "xt_test.h"
#include "xtrain/smt.h"
#include "xtrain/solve.h"
#include "xtrain/log.h"

#define CHECK_SECONDS 60

typedef struct {
    const char *name;
    const char *text;       /* instance text without settings */
    int hidden;
    xt_activation activation;
    xt_loss loss;
    int bias, convex;
    const char *optimum;    /* rational or root-obj */
    const char *logic;
} decision_case;

/* Points -1, 0, 1 with labels 1, 0, 1 (a V). */
#define V_SHAPE "xtrain-instance 1\ninputs 1\ndata 3\n-1 1\n0 0\n1 1\n"
/* Points 0, 1, 2 with labels 0, 1, 3. */
#define LINE "xtrain-instance 1\ninputs 1\ndata 3\n0 0\n1 1\n2 3\n"
/* Two outputs: labels (0, 0) at 0 and (1, 3) at 1. */
#define TWO_OUT "xtrain-instance 1\ninputs 1\noutputs 2\ndata 2\n0 0 0\n1 1 3\n"
/* Two outputs, labels [[2, 1], [1, 1]] at e1 and e2. */
#define RANK_ONE "xtrain-instance 1\ninputs 2\noutputs 2\ndata 2\n" \
                 "1 0 2 1\n0 1 1 1\n"

static const decision_case cases[] = {
    /* One ReLU without output bias on the V: f = a relu(w x + b).  With
     * all points active f is affine, and the best constant is 2/3 (l2
     * 2/3, linf 1/2).  Any other pattern leaves a label 1 at a zero output
     * (l1 and zero-one 1, which the constant 1 also reaches). */
    {"relu-v-l2", V_SHAPE, 1, XT_ACT_RELU, XT_LOSS_L2, 0, 0, "2/3",
     "QF_NRA"},
    {"relu-v-l1", V_SHAPE, 1, XT_ACT_RELU, XT_LOSS_L1, 0, 0, "1", "QF_LRA"},
    {"relu-v-linf", V_SHAPE, 1, XT_ACT_RELU, XT_LOSS_LINF, 0, 0, "1/2",
     "QF_LRA"},
    {"relu-v-01", V_SHAPE, 1, XT_ACT_RELU, XT_LOSS_ZERO_ONE, 0, 0, "1",
     "QF_LRA"},
    /* relu(x) + relu(-x) = |x| fits exactly */
    {"relu2-v-l2", V_SHAPE, 2, XT_ACT_RELU, XT_LOSS_L2, 0, 0, "0",
     "QF_NRA"},
    {"relu2-v-01", V_SHAPE, 2, XT_ACT_RELU, XT_LOSS_ZERO_ONE, 0, 0, "0",
     "QF_LRA"},
    /* One threshold unit takes two values, 0 and a; the active set is a
     * half-line, so the same optima as one ReLU */
    {"threshold-v-l2", V_SHAPE, 1, XT_ACT_THRESHOLD, XT_LOSS_L2, 0, 0,
     "2/3", "QF_NRA"},
    {"threshold-v-linf", V_SHAPE, 1, XT_ACT_THRESHOLD, XT_LOSS_LINF, 0, 0,
     "1/2", "QF_LRA"},
    {"threshold-v-01", V_SHAPE, 1, XT_ACT_THRESHOLD, XT_LOSS_ZERO_ONE, 0, 0,
     "1", "QF_LRA"},
    /* [x < 0] + [x > 0] fits exactly */
    {"threshold2-v-01", V_SHAPE, 2, XT_ACT_THRESHOLD, XT_LOSS_ZERO_ONE, 0,
     0, "0", "QF_LRA"},
    /* One linear unit: an affine fit of (0,0), (1,1), (2,3).  Least
     * squares: slope 3/2, intercept -1/6, residuals (-1/6, 1/3, -1/6);
     * minimax: equal alternating residuals 1/4; l1: the line through
     * (0,0) and (2,3) leaves 1/2. */
    {"linear-l2", LINE, 1, XT_ACT_LINEAR, XT_LOSS_L2, 0, 0, "1/6",
     "QF_NRA"},
    {"linear-linf", LINE, 1, XT_ACT_LINEAR, XT_LOSS_LINF, 1, 0, "1/4",
     "QF_LRA"},
    {"linear-l1", LINE, 1, XT_ACT_LINEAR, XT_LOSS_L1, 0, 0, "1/2",
     "QF_LRA"},
    /* Convex, two outputs, both equal to h = relu(w x + b) (plus c_o):
     * without bias the loss is 2 h0^2 + (h1 - 1)^2 + (h1 - 3)^2, least
     * 2 at h = (0, 2); with bias only D = h1 - h0 matters and
     * ((D - 1)^2 + (D - 3)^2) / 2 is least 1 at D = 2. */
    {"convex-two-outputs", TWO_OUT, 1, XT_ACT_RELU, XT_LOSS_L2, 0, 1, "2",
     "QF_NRA"},
    {"convex-two-outputs-bias", TWO_OUT, 1, XT_ACT_RELU, XT_LOSS_L2, 1, 1,
     "1", "QF_NRA"},
    /* Two outputs, one linear unit: a rank-1 fit of [[2, 1], [1, 1]],
     * optimum the squared smaller eigenvalue (7 - 3 sqrt 5) / 2
     * (Eckart and Young, 1936) */
    {"linear-rank-one", RANK_ONE, 1, XT_ACT_LINEAR, XT_LOSS_L2, 0, 0,
     "(root-obj (+ (^ x 2) (* (- 7) x) 1) 1)", "QF_NRA"},
    /* and with zero-one loss: a rank-1 matrix cannot match either row
     * exactly together with the other, but one row fits */
    {"linear-rank-one-01", RANK_ONE, 1, XT_ACT_LINEAR, XT_LOSS_ZERO_ONE, 0,
     0, "1", "QF_NRA"},
};

static int read_case(xt_instance_t inst, const decision_case *c)
{
    xt_error_t err;

    if (xt_instance_read_string(inst, c->text, c->name, &err) != XT_OK) {
        XT_FAIL("%s: %s", c->name, err.message);
        return -1;
    }
    inst->hidden = c->hidden;
    inst->activation = c->activation;
    inst->loss = c->loss;
    inst->output_bias = c->bias;
    inst->convex = c->convex;
    return 0;
}

/* Decides and returns the status.  The network of a sat result must
 * conform to the instance. */
static xt_smt_status decide(const xt_instance_t inst, const char *name,
                            const xt_algebraic_t target, int strict,
                            const xt_smt_options_t opt)
{
    xt_smt_answer_t ans;
    xt_error_t err;
    xt_smt_status status = XT_SMT_UNKNOWN;

    xt_smt_answer_init(ans);
    if (xt_smt_decide(ans, inst, target, strict, opt, CHECK_SECONDS, &err))
        XT_FAIL("%s: %s", name, err.message);
    else
        status = ans->status;
    if (status == XT_SMT_SAT) {
        XT_CHECK(ans->loss->exact && ans->loss->meets_target);
        if (xt_algebraic_network_conforms(ans->network, inst, &err))
            XT_FAIL("%s: %s", name, err.message);
    }
    xt_smt_answer_clear(ans);
    return status;
}

static void run_case(const decision_case *c, xt_smt_relu_encoding relu)
{
    xt_instance_t inst;
    xt_smt_options_t opt;
    xt_algebraic_t target;
    xt_error_t err;

    xt_instance_init(inst);
    xt_smt_options_init(opt);
    xt_algebraic_init(target);
    opt->relu = relu;
    if (read_case(inst, c) == 0 &&
        xt_algebraic_parse(target, c->optimum, strlen(c->optimum), &err) ==
            XT_OK) {
        XT_CHECK_STR(xt_smt_logic(inst, target, opt),
                     target->degree > 0 ? "QF_NRA" : c->logic);
        xt_smt_status at = decide(inst, c->name, target, 0, opt);
        xt_smt_status below = decide(inst, c->name, target, 1, opt);
        if (at != XT_SMT_SAT || below != XT_SMT_UNSAT)
            XT_FAIL("%s (%s): Z3 answers %d at the optimum %s and %d below",
                    c->name, relu == XT_SMT_RELU_ITE ? "ite" : "disjunction",
                    (int)at, c->optimum, (int)below);
    }
    xt_algebraic_clear(target);
    xt_smt_options_clear(opt);
    xt_instance_clear(inst);
}

/* Weight bound 1/2 on one point x = 1 with label 2: f = a relu(w + b) is
 * at most 1/2 * (1/2 + 1/2) = 1/2, so the l2 optimum is (3/2)^2 = 9/4. */
static void test_weight_bound(void)
{
    xt_instance_t inst;
    xt_smt_options_t opt;
    xt_algebraic_t target;
    xt_error_t err;

    xt_instance_init(inst);
    xt_smt_options_init(opt);
    xt_algebraic_init(target);
    XT_CHECK(xt_instance_read_string(
                 inst, "xtrain-instance 1\ninputs 1\nhidden 1\nloss l2\n"
                 "data 1\n1 2\n", "bound", &err) == XT_OK);
    opt->has_weight_bound = 1;
    mpq_set_ui(opt->weight_bound, 1, 2);
    XT_CHECK_STR(xt_smt_logic(inst, NULL, opt), "QF_NRA");
    xt_algebraic_parse(target, "9/4", 3, &err);
    XT_CHECK_INT(decide(inst, "bound", target, 0, opt), XT_SMT_SAT);
    XT_CHECK_INT(decide(inst, "bound", target, 1, opt), XT_SMT_UNSAT);
    /* without the bound, 0 */
    opt->has_weight_bound = 0;
    xt_algebraic_parse(target, "0", 1, &err);
    XT_CHECK_INT(decide(inst, "bound", target, 0, opt), XT_SMT_SAT);
    xt_algebraic_clear(target);
    xt_smt_options_clear(opt);
    xt_instance_clear(inst);
}

/* Z3 4.8.12 does not stop this l2 check at its own timeout; the child
 * process must be killed at the limit. */
static void test_time_limit(void)
{
    xt_instance_t inst;
    xt_smt_options_t opt;
    xt_smt_answer_t ans;
    xt_algebraic_t target;
    xt_error_t err;

    xt_instance_init(inst);
    xt_smt_options_init(opt);
    xt_smt_answer_init(ans);
    xt_algebraic_init(target);
    XT_CHECK(xt_instance_read_string(
                 inst, "xtrain-instance 1\ninputs 1\nhidden 2\nloss l2\n"
                 "data 5\n-2 0\n-1 0\n0 1\n1 0\n2 0\n", "hat", &err) == XT_OK);
    xt_algebraic_parse(target, "4/25", 4, &err);
    double start = xt_seconds();
    XT_CHECK(xt_smt_decide(ans, inst, target, 0, opt, 1.0, &err) == XT_OK);
    double took = xt_seconds() - start;
    /* unsat (the optimum is 1/6) or unknown, but never late */
    XT_CHECK(ans->status != XT_SMT_SAT);
    if (ans->status == XT_SMT_UNKNOWN)
        XT_CHECK(ans->time_limit_reached);
    XT_CHECK(took < 5.0);
    xt_algebraic_clear(target);
    xt_smt_answer_clear(ans);
    xt_smt_options_clear(opt);
    xt_instance_clear(inst);
}

/* The dispatcher: xt_solve with XT_METHOD_SMT optimizes relu-v-linf. */
static void test_dispatcher(void)
{
    xt_instance_t inst;
    xt_solve_options opt;
    xt_solve_result_t res;
    xt_error_t err;

    xt_instance_init(inst);
    xt_solve_result_init(res);
    xt_solve_options_init(&opt);
    opt.method = XT_METHOD_SMT;
    opt.time_limit = 60;
    if (read_case(inst, &cases[2]) == 0) {
        XT_CHECK(xt_solve(res, inst, &opt, &err) == XT_OK);
        XT_CHECK_INT(res->status, XT_SOLVE_OPTIMAL);
        XT_CHECK_RAT(res->loss, "1/2");
        XT_CHECK_STR(res->method_name, "smt");
    }
    /* a target: one decision */
    inst->has_target = 1;
    mpq_set_ui(inst->target, 1, 3);
    XT_CHECK(xt_solve(res, inst, &opt, &err) == XT_OK);
    XT_CHECK_INT(res->status, XT_SOLVE_INFEASIBLE);
    xt_solve_result_clear(res);
    xt_instance_clear(inst);
}

int main(void)
{
    xt_test_seed();
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        run_case(&cases[i], XT_SMT_RELU_ITE);
    for (size_t i = 0; i < 6; i++)
        run_case(&cases[i], XT_SMT_RELU_DISJUNCTION);
    test_weight_bound();
    test_time_limit();
    test_dispatcher();
    return xt_test_finish("test_smt_decide");
}
