/* The layout of a planar levee instance and its rigidity conditions
 * (docs/reductions.md, "Planar 1-in-3 SAT with rotated levees").  The
 * construction was designed for xtrain in the spirit of Froese and
 * Hertrich, "Training neural networks is NP-hard in fixed dimension",
 * NeurIPS 2023.
 *
 * Gadget g has a pivot p, perpendicular axes u1, u2, normals nT and nF
 * (nF is nT mirrored across the u1 axis) and a width w.  Its levee with
 * normal n is tent(n . (x - p) / w), tent(z) = max(0, 1 - |z|).  Its
 * XT_PLANAR_GADGET_POINTS data points are p and, on each axis, points
 * p + t * (w / (nT . u)) * u for the parameters t of xt_planar_axis_t.
 * Wiring points follow the gadget points.  A wiring point with members
 * lies on the centre lines of up to three (gadget, orientation) pairs
 * and has label 1; one without members is a padding point of label 0. */
#ifndef XT_CHECK_RIGIDITY_H
#define XT_CHECK_RIGIDITY_H

#include <gmp.h>
#include "xtrain/check.h"
#include "xtrain/error.h"
#include "xtrain/instance.h"
#include "xtrain/json.h"

#define XT_PLANAR_AXIS_POINTS 16
#define XT_PLANAR_GADGET_POINTS (1 + 2 * XT_PLANAR_AXIS_POINTS)
#define XT_PLANAR_MEMBERS 3

/* Axis parameters t of the gadget points, in eighths. */
extern const int xt_planar_axis_t[XT_PLANAR_AXIS_POINTS];

typedef struct {
    int gadgets;
    int wires;
    mpq_t *p;        /* 2 per gadget */
    mpq_t *u;        /* 4 per gadget: u1 then u2 */
    mpq_t *n;        /* 4 per gadget: nT then nF */
    mpq_t *w;        /* 1 per gadget */
    mpq_t *wire;     /* 2 per wiring point */
    int *member;     /* XT_PLANAR_MEMBERS per wiring point: 2 * g +
                      * orientation (0 = T, 1 = F), or -1 */
} xt_planar_layout_struct;
typedef xt_planar_layout_struct xt_planar_layout_t[1];

void xt_planar_layout_init(xt_planar_layout_t lay);
void xt_planar_layout_clear(xt_planar_layout_t lay);
/* Resizes to the given counts with every value 0 and every member -1.
 * Returns XT_OK or XT_ERR_NOMEM. */
int xt_planar_layout_resize(xt_planar_layout_t lay, int gadgets, int wires);

/* Data point i (0 <= i < XT_PLANAR_GADGET_POINTS) of gadget g into x[0..1]
 * and its label into y. */
void xt_planar_gadget_point(mpq_t *x, mpq_t y, const xt_planar_layout_t lay,
                            int g, int i);

/* Number of data points: gadgets times XT_PLANAR_GADGET_POINTS plus the
 * wiring points. */
long xt_planar_points(const xt_planar_layout_t lay);

/* Decides the rigidity conditions exactly:
 *  shape: u1 . u2 = 0, nF is nT mirrored across u1, nT . u1 and nT . u2
 *    nonzero, w > 0, every wiring point on its members' centre lines;
 *  data: when inst is not NULL, its points are exactly the gadget points
 *    and then the wiring points, with their labels;
 *  strips: no data point lies in the open strip |n . (x - p)| < w of a
 *    levee of another gadget, in either orientation, except a wiring
 *    point in its members' strips; a wiring point lies outside the strip
 *    of the other orientation of each member;
 *  transversals: no line meets the kink intervals (t within 1/8 of -1, 0
 *    or 1 on an axis) of three gadgets;
 *  jumps: no line through kink points of two different gadgets has
 *    the gradient jumps both require.
 * Sets *rigid to 1 when every condition is met, else to 0 with the first
 * failed condition in err.  Returns XT_OK, or XT_ERR_NOMEM. */
int xt_planar_rigidity(int *rigid, const xt_planar_layout_t lay,
                       const xt_instance_t inst, xt_error_t *err);

/* Reads the layout from a certificate of kind "planar-rigidity". */
int xt_planar_layout_from_json(xt_planar_layout_t lay, const xt_json *root,
                               const char *path, xt_error_t *err);

/* Verifies a certificate of kind "planar-rigidity" for inst. */
int xt_check_planar(xt_check_report_t rep, const xt_instance_t inst,
                    const xt_json *root, const char *path, xt_error_t *err);

#endif
