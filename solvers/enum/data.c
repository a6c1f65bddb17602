/* The data scaled to integers for the fast l2 path.
 *
 * Scaling inputs by D_x and labels by D_y maps networks one to one (ReLU
 * is positively homogeneous) and multiplies every l2 loss by D_y^2, so
 * bounds and optima carry over exactly.  The fast path keeps the sums
 * G = sum m_i m_i^T, h = sum m_i T_i and tt = sum T_i^2 in int64 and
 * their copies in double: with every |X_i|, |T_i| <= B each such sum is
 * at most n B^2 in magnitude, so n B^2 <= 2^52 makes both exact. */
#include <math.h>
#include <stdlib.h>
#include "enum_internal.h"

static void lcm_denominators(mpz_t out, const mpq_t *v, long count)
{
    mpz_set_ui(out, 1);
    for (long i = 0; i < count; i++)
        mpz_lcm(out, out, mpq_denref(v[i]));
}

/* Sets *out = q * scale when that is an integer that fits int64. */
static int scaled_int(int64_t *out, const mpq_t q, const mpz_t scale,
                      mpz_t tmp)
{
    mpz_divexact(tmp, scale, mpq_denref(q));
    mpz_mul(tmp, tmp, mpq_numref(q));
    if (!mpz_fits_slong_p(tmp))
        return 0;
    *out = (int64_t)mpz_get_si(tmp);
    return 1;
}

int xt_enum_data_init(xt_enum_data *D, const xt_instance_t inst, int k)
{
    int d = inst->d, d1 = d + 1;
    long n = inst->n;
    D->d = d;
    D->k = k;
    D->n = n;
    D->p = k * d1 + (inst->output_bias ? 1 : 0);
    D->bias_col = inst->output_bias ? D->p - 1 : -1;
    D->v = calloc((size_t)(n ? n : 1) * d1, sizeof *D->v);
    D->t = calloc((size_t)(n ? n : 1), sizeof *D->t);
    D->vd = calloc((size_t)(n ? n : 1) * d1, sizeof *D->vd);
    D->vinv = calloc((size_t)(n ? n : 1), sizeof *D->vinv);
    mpz_inits(D->dx, D->dy, NULL);
    D->fits = 0;
    if (!D->v || !D->t || !D->vd || !D->vinv)
        return XT_ERR_NOMEM;

    lcm_denominators(D->dx, inst->x, n * d);
    lcm_denominators(D->dy, inst->y, n * inst->m);
    mpz_t tmp;
    mpz_init(tmp);
    int ok = 1;
    double bound = 1;
    for (long i = 0; i < n && ok; i++) {
        for (int t = 0; t < d && ok; t++)
            ok = scaled_int(&D->v[i * d1 + t], inst->x[i * d + t], D->dx,
                            tmp);
        D->v[i * d1 + d] = 1;
        ok = ok && scaled_int(&D->t[i], inst->y[i * inst->m], D->dy, tmp);
        for (int t = 0; t < d1 && ok; t++) {
            double a = (double)llabs(D->v[i * d1 + t]);
            D->vd[i * d1 + t] = (double)D->v[i * d1 + t];
            bound = a > bound ? a : bound;
        }
        if (ok && (double)llabs(D->t[i]) > bound)
            bound = (double)llabs(D->t[i]);
        double norm = 0;
        for (int t = 0; t < d1; t++)
            norm += D->vd[i * d1 + t] * D->vd[i * d1 + t];
        D->vinv[i] = 1 / sqrt(norm);
    }
    mpz_clear(tmp);
    /* n B^2 <= 2^52, with B < 2^26 so that B^2 itself is exact. */
    D->fits = ok && bound < 0x1p26 && (double)n * bound * bound <= 0x1p52;
    return XT_OK;
}

void xt_enum_data_clear(xt_enum_data *D)
{
    free(D->v);
    free(D->t);
    free(D->vd);
    free(D->vinv);
    mpz_clears(D->dx, D->dy, NULL);
}
