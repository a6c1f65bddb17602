/* The linear and mixed-integer programs of a training instance, for
 * `xtrain export --format lp` and for polishing SMT models.
 *
 * Fixed pattern (ReLU): neuron j is active on the points of its set S_j
 * and has output weight sign s_j = +1 or -1 (positive homogeneity makes
 * |a_j| = 1 free of loss).  With z_ij = w_j . x_i + b_j the program is
 *
 *     z_ij >= 0 (i in S_j),  z_ij <= 0 (i not in S_j),
 *     r_io = c_o + sum_{j : i in S_j} s_j z_ij - y_io,
 *
 * minimizing the loss of r; this is the subproblem of the enumeration of
 * Arora, Basu, Mianjy and Mukherjee (ICLR 2018).
 *
 * Big-M MIP, every weight in [-B, B], so |z_ij| <= M_i = B (1 + |x_i|_1):
 * ReLU h = max(0, z) with a binary u: h >= 0, h >= z, h <= z + M (1 - u),
 * h <= M u; the sign of a_j is a binary s_j with g = +-h linearized the
 * same way; a threshold unit is a binary h with z >= 1 - (M + 1)(1 - h)
 * and z <= M h (the margin 1 is free because [t > 0] is invariant under
 * scaling t, up to the bound B), and its product with a free a in [-B, B]
 * is linearized.  Zero-one loss uses a binary per point. */
#include <stdlib.h>
#include "smt_internal.h"
#include "xtrain/rat.h"

/* Adds the columns of the network's weights: w_J_T, b_J for each
 * neuron, then c_O. */
static void add_network_columns(xt_prog *p, const xt_instance_t inst)
{
    for (int j = 0; j < inst->hidden; j++) {
        for (int t = 0; t < inst->d; t++)
            xt_prog_col(p, "w_%d_%d", j + 1, t + 1);
        xt_prog_col(p, "b_%d", j + 1);
    }
    for (int o = 0; o < inst->m && inst->output_bias; o++)
        xt_prog_col(p, "c_%d", o + 1);
}

static int col_w(const xt_instance_t inst, int j, int t)
{
    return j * (inst->d + 1) + t;
}

static int col_c(const xt_instance_t inst, int o)
{
    return inst->hidden * (inst->d + 1) + o;
}

/* Adds factor * z_ij to row. */
static void add_preactivation(xt_prog *p, int row, const xt_instance_t inst,
                              long i, int j, const mpq_t factor)
{
    mpq_t v;

    mpq_init(v);
    for (int t = 0; t < inst->d; t++) {
        mpq_mul(v, factor, inst->x[i * inst->d + t]);
        xt_prog_add(p, row, col_w(inst, j, t), v);
    }
    xt_prog_add(p, row, col_w(inst, j, inst->d), factor);
    mpq_clear(v);
}

/* Starts the row r_io - c_o - (contributions, added by the caller) =
 * -y_io and returns it; r is the residual column. */
static int residual_row(xt_prog *p, const xt_instance_t inst, long i, int o,
                        int r)
{
    int row = xt_prog_row_new(p, XT_PROG_EQ, "res_%ld_%d", i + 1, o + 1);

    xt_prog_add_si(p, row, r, 1);
    if (inst->output_bias)
        xt_prog_add_si(p, row, col_c(inst, o), -1);
    mpq_neg(p->rows[row].rhs, inst->y[i * inst->m + o]);
    return row;
}

/* Adds the loss of the residual columns r[0..n*m) and its objective. */
static void add_loss(xt_prog *p, const xt_instance_t inst, const int *r,
                     const mpq_t *bound_r)
{
    long n = inst->n;
    int m = inst->m, t = -1;

    if (inst->loss == XT_LOSS_LINF) {
        t = xt_prog_col(p, "t");
        mpq_set_ui(p->obj[t], 1, 1);
    }
    for (long i = 0; i < n; i++) {
        int v = -1;
        if (inst->loss == XT_LOSS_ZERO_ONE) {
            v = xt_prog_col(p, "v_%ld", i + 1);
            p->binary[v] = 1;
            mpq_set_ui(p->obj[v], 1, 1);
        }
        for (int o = 0; o < m; o++) {
            int ri = r[i * m + o], e = t, row;
            if (inst->loss == XT_LOSS_L2) {
                p->squared[ri] = 1;
                continue;
            }
            if (inst->loss == XT_LOSS_L1) {
                e = xt_prog_col(p, "e_%ld_%d", i + 1, o + 1);
                mpq_set_ui(p->obj[e], 1, 1);
            }
            if (inst->loss == XT_LOSS_ZERO_ONE) {
                /* |r| <= R v: a point with v = 0 is fitted exactly */
                mpq_t neg;
                mpq_init(neg);
                mpq_neg(neg, bound_r[i * m + o]);
                row = xt_prog_row_new(p, XT_PROG_LE, "zu_%ld_%d", i + 1,
                                      o + 1);
                xt_prog_add_si(p, row, ri, 1);
                xt_prog_add(p, row, v, neg);
                row = xt_prog_row_new(p, XT_PROG_GE, "zl_%ld_%d", i + 1,
                                      o + 1);
                xt_prog_add_si(p, row, ri, 1);
                xt_prog_add(p, row, v, bound_r[i * m + o]);
                mpq_clear(neg);
                continue;
            }
            row = xt_prog_row_new(p, XT_PROG_GE, "up_%ld_%d", i + 1, o + 1);
            xt_prog_add_si(p, row, e, 1);
            xt_prog_add_si(p, row, ri, -1);
            row = xt_prog_row_new(p, XT_PROG_GE, "lo_%ld_%d", i + 1, o + 1);
            xt_prog_add_si(p, row, e, 1);
            xt_prog_add_si(p, row, ri, 1);
        }
    }
}

static int *residual_columns(xt_prog *p, const xt_instance_t inst)
{
    long count = inst->n * inst->m;
    int *r = malloc((size_t)(count > 0 ? count : 1) * sizeof *r);

    if (!r)
        abort();
    for (long i = 0; i < inst->n; i++)
        for (int o = 0; o < inst->m; o++)
            r[i * inst->m + o] = xt_prog_col(p, "r_%ld_%d", i + 1, o + 1);
    return r;
}

static int check_pattern_instance(const xt_instance_t inst,
                                  const unsigned char *const *active,
                                  xt_error_t *err)
{
    if (inst->hidden < 1) {
        xt_error_set(err, "number of hidden neurons not set: add \"hidden "
                     "K\" to the instance or pass --hidden K");
        return XT_ERR_INPUT;
    }
    if (inst->activation == XT_ACT_THRESHOLD ||
        (inst->activation == XT_ACT_RELU && !active)) {
        xt_error_set(err, "fixed-pattern programs need a ReLU instance and "
                     "a pattern, or a linear one");
        return XT_ERR_INPUT;
    }
    if (inst->m != 1 && !inst->convex) {
        xt_error_set(err, "fixed-pattern programs need one output or a "
                     "convex instance, because products of two weights "
                     "remain otherwise (use --format smt2)");
        return XT_ERR_INPUT;
    }
    if (inst->loss == XT_LOSS_ZERO_ONE) {
        xt_error_set(err, "fixed-pattern programs handle the losses l1, l2 "
                     "and linf, not zero-one (use --format smt2 or the "
                     "MIP)");
        return XT_ERR_INPUT;
    }
    if (inst->has_architecture) {
        xt_error_set(err, "fixed-pattern programs are written for fully "
                     "connected networks, and the instance has an "
                     "architecture section (use --format smt2)");
        return XT_ERR_INPUT;
    }
    return XT_OK;
}

int xt_smt_pattern_program(xt_prog *p, const xt_instance_t inst,
                           const unsigned char *const *active,
                           const int *sign, xt_error_t *err)
{
    int relu = inst->activation == XT_ACT_RELU, *r;
    mpq_t factor;

    if (check_pattern_instance(inst, active, err) != XT_OK)
        return XT_ERR_INPUT;
    add_network_columns(p, inst);
    r = residual_columns(p, inst);
    mpq_init(factor);
    for (long i = 0; i < inst->n && relu; i++)
        for (int j = 0; j < inst->hidden; j++) {
            int on = active[j][i];
            int row = xt_prog_row_new(p, on ? XT_PROG_GE : XT_PROG_LE,
                                      "pat_%ld_%d", i + 1, j + 1);
            mpq_set_ui(factor, 1, 1);
            add_preactivation(p, row, inst, i, j, factor);
        }
    for (long i = 0; i < inst->n; i++)
        for (int o = 0; o < inst->m; o++) {
            int row = residual_row(p, inst, i, o, r[i * inst->m + o]);
            for (int j = 0; j < inst->hidden; j++) {
                if (relu && !active[j][i])
                    continue;
                int s = (inst->convex || !sign) ? 1 : sign[j];
                mpq_set_si(factor, -s, 1);
                add_preactivation(p, row, inst, i, j, factor);
            }
        }
    add_loss(p, inst, r, NULL);
    mpq_clear(factor);
    free(r);
    return XT_OK;
}

int xt_smt_write_pattern_lp(FILE *stream, const xt_instance_t inst,
                            const unsigned char *const *active,
                            const int *sign, xt_error_t *err)
{
    xt_prog p;
    int status;

    xt_prog_init(&p);
    status = xt_smt_pattern_program(&p, inst, active, sign, err);
    if (status == XT_OK)
        xt_prog_write_lp(stream, &p, "xtrain fixed-pattern program: the "
                         "network's loss with every neuron's activation "
                         "set and output sign fixed");
    xt_prog_clear(&p);
    return status;
}

/* ---------------------------------------------------------------- MIP */

/* Adds -B <= col <= B. */
static void bound_column(xt_prog *p, int col, const mpq_t bound)
{
    int row = xt_prog_row_new(p, XT_PROG_LE, "ub_%s", p->names[col]);

    xt_prog_add_si(p, row, col, 1);
    mpq_set(p->rows[row].rhs, bound);
    row = xt_prog_row_new(p, XT_PROG_GE, "lb_%s", p->names[col]);
    xt_prog_add_si(p, row, col, 1);
    mpq_neg(p->rows[row].rhs, bound);
}

/* Adds the row  a x + b y + c z  (sense) rhs  for three columns (z may
 * be -1). */
static void row3(xt_prog *p, xt_prog_sense sense, const char *name, long i,
                 int j, int x, const mpq_t a, int y, const mpq_t b, int z,
                 const mpq_t c, const mpq_t rhs)
{
    int row = xt_prog_row_new(p, sense, "%s_%ld_%d", name, i + 1, j + 1);

    xt_prog_add(p, row, x, a);
    xt_prog_add(p, row, y, b);
    if (z >= 0)
        xt_prog_add(p, row, z, c);
    mpq_set(p->rows[row].rhs, rhs);
}

typedef struct {
    xt_prog *p;
    const xt_instance_struct *inst;
    mpq_t bound, big, one, minus_one, zero, t1, t2;
} mip_builder;

/* Defines a column z_ij = w_j . x_i + b_j; returns it. */
static int define_z(mip_builder *mb, long i, int j)
{
    int z = xt_prog_col(mb->p, "z_%ld_%d", i + 1, j + 1);
    int row = xt_prog_row_new(mb->p, XT_PROG_EQ, "zdef_%ld_%d", i + 1,
                              j + 1);

    xt_prog_add_si(mb->p, row, z, 1);
    add_preactivation(mb->p, row, mb->inst, i, j, mb->minus_one);
    return z;
}

/* h = max(0, z) with a binary u; returns h. */
static int relu_unit(mip_builder *mb, long i, int j, int z)
{
    xt_prog *p = mb->p;
    int h = xt_prog_col(p, "h_%ld_%d", i + 1, j + 1);
    int u = xt_prog_col(p, "u_%ld_%d", i + 1, j + 1);

    p->binary[u] = 1;
    row3(p, XT_PROG_GE, "hpos", i, j, h, mb->one, z, mb->zero, -1, mb->zero,
         mb->zero);
    row3(p, XT_PROG_GE, "hz", i, j, h, mb->one, z, mb->minus_one, -1,
         mb->zero, mb->zero);
    row3(p, XT_PROG_LE, "hon", i, j, h, mb->one, z, mb->minus_one, u,
         mb->big, mb->big);
    mpq_neg(mb->t1, mb->big);
    row3(p, XT_PROG_LE, "hoff", i, j, h, mb->one, u, mb->t1, -1, mb->zero,
         mb->zero);
    return h;
}

/* g = h when s = 1 and g = -h when s = 0, |h| <= M; returns g. */
static int signed_unit(mip_builder *mb, long i, int j, int h, int s)
{
    xt_prog *p = mb->p;
    int g = xt_prog_col(p, "g_%ld_%d", i + 1, j + 1);

    mpq_add(mb->t1, mb->big, mb->big);          /* 2M */
    mpq_neg(mb->t2, mb->t1);                    /* -2M */
    row3(p, XT_PROG_LE, "gp1", i, j, g, mb->one, h, mb->minus_one, s,
         mb->t1, mb->t1);
    row3(p, XT_PROG_GE, "gp2", i, j, g, mb->one, h, mb->minus_one, s,
         mb->t2, mb->t2);
    row3(p, XT_PROG_LE, "gn1", i, j, g, mb->one, h, mb->one, s, mb->t2,
         mb->zero);
    row3(p, XT_PROG_GE, "gn2", i, j, g, mb->one, h, mb->one, s, mb->t1,
         mb->zero);
    return g;
}

/* A threshold unit: binary h with the margin rows; returns h. */
static int threshold_unit(mip_builder *mb, long i, int j, int z)
{
    xt_prog *p = mb->p;
    int h = xt_prog_col(p, "h_%ld_%d", i + 1, j + 1);

    p->binary[h] = 1;
    mpq_add(mb->t1, mb->big, mb->one);
    mpq_neg(mb->t1, mb->t1);                    /* -(M + 1) */
    mpq_neg(mb->t2, mb->big);                   /* -M */
    row3(p, XT_PROG_GE, "ton", i, j, z, mb->one, h, mb->t1, -1, mb->zero,
         mb->t2);
    row3(p, XT_PROG_LE, "toff", i, j, z, mb->one, h, mb->t2, -1, mb->zero,
         mb->zero);
    return h;
}

/* g = a h for a binary h and a in [-B, B]; returns g. */
static int product_unit(mip_builder *mb, long i, int o, int j, int a, int h)
{
    xt_prog *p = mb->p;
    int g = xt_prog_col(p, "g_%ld_%d_%d", i + 1, o + 1, j + 1);
    char name[4][16];

    /* row names pu_O_I_J and so on stay unique across outputs */
    snprintf(name[0], sizeof name[0], "pu_%d", o + 1);
    snprintf(name[1], sizeof name[1], "pl_%d", o + 1);
    snprintf(name[2], sizeof name[2], "pau_%d", o + 1);
    snprintf(name[3], sizeof name[3], "pal_%d", o + 1);
    mpq_neg(mb->t1, mb->bound);
    row3(p, XT_PROG_LE, name[0], i, j, g, mb->one, h, mb->t1, -1, mb->zero,
         mb->zero);
    row3(p, XT_PROG_GE, name[1], i, j, g, mb->one, h, mb->bound, -1,
         mb->zero, mb->zero);
    mpq_add(mb->t1, mb->bound, mb->bound);      /* 2B */
    mpq_neg(mb->t2, mb->t1);
    row3(p, XT_PROG_LE, name[2], i, j, g, mb->one, a, mb->minus_one, h,
         mb->t1, mb->t1);
    row3(p, XT_PROG_GE, name[3], i, j, g, mb->one, a, mb->minus_one, h,
         mb->t2, mb->t2);
    return g;
}

static int check_mip_instance(const xt_instance_t inst, const mpq_t bound,
                              xt_error_t *err)
{
    if (inst->hidden < 1) {
        xt_error_set(err, "number of hidden neurons not set: add \"hidden "
                     "K\" to the instance or pass --hidden K");
        return XT_ERR_INPUT;
    }
    if (mpq_sgn(bound) <= 0) {
        xt_error_set(err, "the MIP needs a positive weight bound");
        return XT_ERR_INPUT;
    }
    if (inst->activation != XT_ACT_THRESHOLD && inst->m != 1 &&
        !inst->convex) {
        xt_error_set(err, "the MIP needs one output or a convex instance "
                     "for %s units, because products of two weights remain "
                     "otherwise (use --format smt2)",
                     xt_activation_name(inst->activation));
        return XT_ERR_INPUT;
    }
    if (inst->has_architecture) {
        xt_error_set(err, "the MIP is written for fully connected networks, "
                     "and the instance has an architecture section (use "
                     "--format smt2)");
        return XT_ERR_INPUT;
    }
    return XT_OK;
}

/* Adds the contributions of point i to its residual rows res[0..m). */
static void add_point_units(mip_builder *mb, long i, const int *res,
                            const int *sign, const int *a)
{
    const xt_instance_struct *inst = mb->inst;

    for (int j = 0; j < inst->hidden; j++) {
        int z = define_z(mb, i, j), unit = z;
        if (inst->activation == XT_ACT_RELU)
            unit = relu_unit(mb, i, j, z);
        else if (inst->activation == XT_ACT_THRESHOLD)
            unit = threshold_unit(mb, i, j, z);
        for (int o = 0; o < inst->m; o++) {
            int g = unit;
            if (inst->activation == XT_ACT_THRESHOLD && !inst->convex)
                g = product_unit(mb, i, o, j, a[o * inst->hidden + j],
                                 unit);
            else if (inst->activation == XT_ACT_RELU && sign)
                g = signed_unit(mb, i, j, unit, sign[j]);
            xt_prog_add_si(mb->p, res[o], g, -1);
        }
    }
}

/* Stores M_i = B (1 + |x_i|_1) in mb->big. */
static void set_big_m(mip_builder *mb, long i)
{
    mpq_set_ui(mb->big, 1, 1);
    for (int t = 0; t < mb->inst->d; t++) {
        mpq_abs(mb->t1, mb->inst->x[i * mb->inst->d + t]);
        mpq_add(mb->big, mb->big, mb->t1);
    }
    mpq_mul(mb->big, mb->big, mb->bound);
}

/* Bounds on |r_io| for the zero-one loss: |y| + |c| + sum of |units|. */
static void residual_bounds(mip_builder *mb, mpq_t *bound_r)
{
    const xt_instance_struct *inst = mb->inst;
    int threshold = inst->activation == XT_ACT_THRESHOLD;

    for (long i = 0; i < inst->n; i++) {
        set_big_m(mb, i);
        mpq_set(mb->t2, threshold ? (inst->convex ? mb->one : mb->bound)
                                  : mb->big);
        mpq_set_si(mb->t1, inst->hidden, 1);
        mpq_mul(mb->t2, mb->t2, mb->t1);
        if (inst->output_bias)
            mpq_add(mb->t2, mb->t2, mb->bound);
        mpq_add(mb->t2, mb->t2, mb->one);
        for (int o = 0; o < inst->m; o++) {
            mpq_abs(mb->t1, inst->y[i * inst->m + o]);
            mpq_add(bound_r[i * inst->m + o], mb->t2, mb->t1);
        }
    }
}

static void build_mip(xt_prog *p, const xt_instance_t inst,
                      const mpq_t bound)
{
    mip_builder mb;
    int k = inst->hidden, m = inst->m, *r, *sign = NULL, *a = NULL;
    size_t count = (size_t)inst->n * (size_t)m;
    mpq_t *bound_r = xt_rat_array_new(count ? count : 1);

    mb.p = p;
    mb.inst = inst;
    mpq_inits(mb.bound, mb.big, mb.one, mb.minus_one, mb.zero, mb.t1,
              mb.t2, NULL);
    mpq_set(mb.bound, bound);
    mpq_set_ui(mb.one, 1, 1);
    mpq_set_si(mb.minus_one, -1, 1);
    add_network_columns(p, inst);
    for (int c = 0; c < p->ncols; c++)
        bound_column(p, c, bound);
    if (inst->activation == XT_ACT_RELU && !inst->convex) {
        sign = malloc((size_t)k * sizeof *sign);
        for (int j = 0; sign && j < k; j++) {
            sign[j] = xt_prog_col(p, "s_%d", j + 1);
            p->binary[sign[j]] = 1;
        }
    }
    if (inst->activation == XT_ACT_THRESHOLD && !inst->convex) {
        a = malloc((size_t)m * (size_t)k * sizeof *a);
        for (int o = 0; a && o < m; o++)
            for (int j = 0; j < k; j++) {
                a[o * k + j] = xt_prog_col(p, "a_%d_%d", o + 1, j + 1);
                bound_column(p, a[o * k + j], bound);
            }
    }
    if ((inst->activation == XT_ACT_RELU && !inst->convex && !sign) ||
        (inst->activation == XT_ACT_THRESHOLD && !inst->convex && !a))
        abort();
    r = residual_columns(p, inst);
    for (long i = 0; i < inst->n; i++) {
        int res[XT_MAX_OUTPUTS];
        set_big_m(&mb, i);
        for (int o = 0; o < m; o++)
            res[o] = residual_row(p, inst, i, o, r[i * m + o]);
        add_point_units(&mb, i, res, sign, a);
    }
    residual_bounds(&mb, bound_r);
    add_loss(p, inst, r, (const mpq_t *)bound_r);
    free(r);
    free(sign);
    free(a);
    xt_rat_array_free(bound_r, count ? count : 1);
    mpq_clears(mb.bound, mb.big, mb.one, mb.minus_one, mb.zero, mb.t1,
               mb.t2, NULL);
}

int xt_smt_write_mip(FILE *stream, const xt_instance_t inst,
                     const mpq_t bound, xt_error_t *err)
{
    xt_prog p;
    char title[160];

    if (check_mip_instance(inst, bound, err) != XT_OK)
        return XT_ERR_INPUT;
    xt_prog_init(&p);
    build_mip(&p, inst, bound);
    snprintf(title, sizeof title, "xtrain big-M MIP: %d %s neuron%s, %s "
             "loss, every weight in [-B, B]", inst->hidden,
             xt_activation_name(inst->activation),
             inst->hidden == 1 ? "" : "s", xt_loss_name(inst->loss));
    xt_prog_write_lp(stream, &p, title);
    fputs("\\ B = ", stream);
    mpq_out_str(stream, 10, bound);
    fputc('\n', stream);
    xt_prog_clear(&p);
    return XT_OK;
}
