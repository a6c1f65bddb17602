/* GLPK's double-precision simplex as a basis oracle.
 *
 * GLPK takes every coefficient as a double, so it is given only problems
 * whose integers a double represents exactly.  It solves the dual LP
 *
 *     maximize b . y   s.t.   A^T y = lin,   y_i >= 0 on GE rows,
 *
 * which has n rows instead of m.  For random 7 x 60 LPs GLPK 5.0 took
 * 55 us per solve this way against 159 us on the primal LP (one x86-64
 * development machine, a throwaway benchmark).  Its final basis alone is
 * used: the basic dual columns are the tight primal
 * rows T, the nonbasic dual rows the basic primal columns B (the other
 * primal columns are 0).  The square systems A[T,B] x_B = b_T and
 * A[T,B]^T y_T = lin_B are solved fraction-free in integers and the pair
 * (x, y) is verified exactly; GLPK's own values are never used. */
#include <stdlib.h>
#include <glpk.h>
#include "lp_internal.h"

#define XT_LP_DOUBLE_BITS 53

static int fits_z(const mpz_t v)
{
    return mpz_sizeinbase(v, 2) <= XT_LP_DOUBLE_BITS;
}

int xt_lp_prob_fits_double(const xt_lp_prob *P)
{
    for (int j = 0; j < P->n; j++)
        if (mpz_cmp_ui(mpq_denref(P->lin[j]), 1) != 0 ||
            !fits_z(mpq_numref(P->lin[j])))
            return 0;
    for (int i = 0; i < P->m; i++) {
        if (!fits_z(P->b[i]))
            return 0;
        for (int j = 0; j < P->n; j++)
            if (!fits_z(P->a[(size_t)i * P->n + j]))
                return 0;
    }
    return 1;
}

/* Loads the dual LP of P into a new GLPK problem; ind and val have
 * n + 1 entries. */
static glp_prob *glpk_load(const xt_lp_prob *P, int *ind, double *val)
{
    int n = P->n;
    glp_prob *lp = glp_create_prob();

    glp_set_obj_dir(lp, GLP_MAX);
    glp_add_rows(lp, n);
    glp_add_cols(lp, P->m);
    for (int j = 0; j < n; j++) {
        double c = mpq_get_d(P->lin[j]);
        glp_set_row_bnds(lp, j + 1, GLP_FX, c, c);
    }
    for (int i = 0; i < P->m; i++) {
        int len = 0;
        glp_set_col_bnds(lp, i + 1, P->eq[i] ? GLP_FR : GLP_LO, 0.0, 0.0);
        glp_set_obj_coef(lp, i + 1, mpz_get_d(P->b[i]));
        for (int j = 0; j < n; j++) {
            mpz_t *a = &P->a[(size_t)i * n + j];
            if (mpz_sgn(*a) == 0)
                continue;
            len++;
            ind[len] = j + 1;
            val[len] = mpz_get_d(*a);
        }
        glp_set_mat_col(lp, i + 1, len, ind, val);
    }
    return lp;
}

/* Reads the final basis of the dual LP: tight primal rows (basic dual
 * columns) and basic primal columns (nonbasic dual rows).  Returns their
 * common count k, or -1 when the basis has an unexpected shape. */
static int read_basis(glp_prob *lp, const xt_lp_prob *P, int *tight,
                      int *bcol)
{
    int k = 0, nb = 0;

    for (int i = 0; i < P->m; i++) {
        int stat = glp_get_col_stat(lp, i + 1);
        if (stat == GLP_BS)
            tight[k++] = i;
        else if (stat != (P->eq[i] ? GLP_NF : GLP_NL))
            return -1;
    }
    for (int j = 0; j < P->n; j++) {
        int stat = glp_get_row_stat(lp, j + 1);
        if (stat == GLP_NS)
            bcol[nb++] = j;
        else if (stat != GLP_BS)
            return -1;
    }
    return nb == k ? k : -1;
}

/* Solves A[T,B] x_B = b_T (transpose = 0) or A[T,B]^T y_T = lin_B
 * (transpose = 1) into out, indexed by column or by row of P.  Returns 0
 * when A[T,B] is singular. */
static int basis_solve(mpq_t *out, const xt_lp_prob *P, const int *tight,
                       const int *bcol, int k, int transpose)
{
    int n = P->n, s = k + 1, ok;
    mpz_t *mat = xt_lp_zvec_new(k * s), *num = xt_lp_zvec_new(k);
    mpz_t den, tmp[2];

    if (k > 0 && (!mat || !num)) {
        xt_lp_zvec_free(mat, k * s);
        xt_lp_zvec_free(num, k);
        return 0;
    }
    for (int r = 0; r < k; r++) {
        for (int c = 0; c < k; c++) {
            int row = transpose ? tight[c] : tight[r];
            int col = transpose ? bcol[r] : bcol[c];
            mpz_set(mat[r * s + c], P->a[(size_t)row * n + col]);
        }
        if (transpose)
            mpz_set(mat[r * s + k], mpq_numref(P->lin[bcol[r]]));
        else
            mpz_set(mat[r * s + k], P->b[tight[r]]);
    }

    mpz_inits(den, tmp[0], tmp[1], NULL);
    ok = xt_lp_bareiss_solve(mat, k, num, den, tmp);
    for (int r = 0; ok && r < k; r++) {
        mpq_ptr q = out[transpose ? tight[r] : bcol[r]];
        mpq_set_num(q, num[r]);
        mpq_set_den(q, den);
        mpq_canonicalize(q);
    }
    mpz_clears(den, tmp[0], tmp[1], NULL);
    xt_lp_zvec_free(mat, k * s);
    xt_lp_zvec_free(num, k);
    return ok;
}

/* Runs glp_simplex quietly.  Returns GLPK's solution status, or 0 when
 * the solver failed. */
static int glpk_run(glp_prob *lp, xt_lp_stats *st)
{
    glp_smcp parm;
    int old, rc;

    glp_init_smcp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    parm.presolve = GLP_OFF;
    parm.pricing = GLP_PT_STD;   /* cheaper than steepest edge here */
    parm.it_lim = 100000;
    /* glp_term_out is global state of the calling thread: restore it. */
    old = glp_term_out(GLP_OFF);
    rc = glp_simplex(lp, &parm);
    glp_term_out(old);
    st->pivots += glp_get_it_cnt(lp);
    return rc == 0 ? glp_get_status(lp) : 0;
}

int xt_lp_glpk_solve(xt_lp_cert *C, int *verdict, int *warm, int *tight,
                     int *ntight, const xt_lp_prob *P, xt_lp_stats *st)
{
    int n = P->n, k, status;
    int *ind = malloc(((size_t)n + 1) * sizeof *ind);
    int *bcol = malloc(((size_t)n + 1) * sizeof *bcol);
    double *val = malloc(((size_t)n + 1) * sizeof *val);
    glp_prob *lp;

    *verdict = XT_LP_ERROR;
    *warm = 0;
    *ntight = 0;
    xt_lp_cert_reset(C);
    if (!ind || !bcol || !val) {
        free(ind);
        free(bcol);
        free(val);
        return XT_ERR_NOMEM;
    }

    lp = glpk_load(P, ind, val);
    status = glpk_run(lp, st);
    /* An unbounded dual means an infeasible primal.  An infeasible dual
     * leaves the primal unbounded or infeasible: no verdict. */
    if (status == GLP_UNBND)
        *verdict = XT_LP_INFEASIBLE;

    k = status == GLP_OPT ? read_basis(lp, P, tight, bcol) : -1;
    glp_delete_prob(lp);
    free(ind);
    free(val);
    if (k >= 0 && basis_solve(C->x, P, tight, bcol, k, 0) &&
        xt_lp_verify_feasible(P, C->x)) {
        *warm = 1;
        *ntight = k;
        if (basis_solve(C->y, P, tight, bcol, k, 1) &&
            xt_lp_verify_lp_optimal(P, C->x, C->y)) {
            C->status = XT_LP_OPTIMAL;
            *verdict = XT_LP_OPTIMAL;
        }
    }
    free(bcol);
    return XT_OK;
}

void xt_lp_release_thread(void)
{
    glp_free_env();
}
