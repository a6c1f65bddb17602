/* Certificates of kind "planar-rigidity": the layout of a planar levee
 * instance, whose rigidity conditions the checker decides (rigidity.h).
 *
 *   {"format": "xtrain-certificate", "kind": "planar-rigidity",
 *    "gadgets": [{"p": [x, y], "u1": [..], "u2": [..], "nT": [..],
 *                 "nF": [..], "w": "r"}, ...],
 *    "wiring": [{"x": [x, y], "members": [2 g + o, ...]}, ...]} */
#include "check_internal.h"
#include <stdlib.h>
#include "rigidity.h"

static int read_gadget(xt_planar_layout_t lay, int g, const xt_json *obj,
                       const char *path, xt_error_t *err)
{
    static const char *const keys[4] = {"u1", "u2", "nT", "nF"};
    if (xt_check_json_rat_array(lay->p + 2 * g, 2, xt_json_get(obj, "p"),
                                "p", path, err) ||
        xt_check_json_rat(lay->w[g], xt_json_get(obj, "w"), "w", path, err))
        return -1;
    for (int i = 0; i < 4; i++) {
        mpq_t *dst = (i < 2 ? lay->u : lay->n) + 4 * g + 2 * (i % 2);
        if (xt_check_json_rat_array(dst, 2, xt_json_get(obj, keys[i]),
                                    keys[i], path, err))
            return -1;
    }
    return 0;
}

static int read_wire(xt_planar_layout_t lay, int e, const xt_json *obj,
                     const char *path, xt_error_t *err)
{
    if (xt_check_json_rat_array(lay->wire + 2 * e, 2, xt_json_get(obj, "x"),
                                "x", path, err))
        return -1;
    const xt_json *mem = xt_json_get(obj, "members");
    if (!mem || mem->type != XT_JSON_ARRAY ||
        mem->count > XT_PLANAR_MEMBERS) {
        xt_error_at(err, path, obj->line, "\"members\" must list at most "
                    "%d members", XT_PLANAR_MEMBERS);
        return -1;
    }
    for (size_t k = 0; k < mem->count; k++) {
        const xt_json *v = mem->items[k];
        long m = v->type == XT_JSON_NUMBER ? strtol(v->text, NULL, 10) : -1;
        if (m < 0 || m >= 2L * lay->gadgets) {
            xt_error_at(err, path, v->line, "bad member");
            return -1;
        }
        lay->member[XT_PLANAR_MEMBERS * e + (int)k] = (int)m;
    }
    return 0;
}

int xt_planar_layout_from_json(xt_planar_layout_t lay, const xt_json *root,
                               const char *path, xt_error_t *err)
{
    const xt_json *gs = xt_json_get(root, "gadgets");
    const xt_json *ws = xt_json_get(root, "wiring");
    if (!gs || gs->type != XT_JSON_ARRAY || !ws ||
        ws->type != XT_JSON_ARRAY || gs->count > 100000 ||
        ws->count > 100000) {
        xt_error_at(err, path, root->line, "a planar-rigidity certificate "
                    "needs arrays \"gadgets\" and \"wiring\"");
        return XT_ERR_INPUT;
    }
    if (xt_planar_layout_resize(lay, (int)gs->count, (int)ws->count)) {
        xt_error_set(err, "out of memory");
        return XT_ERR_NOMEM;
    }
    for (int g = 0; g < lay->gadgets; g++)
        if (read_gadget(lay, g, gs->items[g], path, err))
            return XT_ERR_INPUT;
    for (int e = 0; e < lay->wires; e++)
        if (read_wire(lay, e, ws->items[e], path, err))
            return XT_ERR_INPUT;
    return XT_OK;
}

int xt_check_planar(xt_check_report_t rep, const xt_instance_t inst,
                    const xt_json *root, const char *path, xt_error_t *err)
{
    xt_planar_layout_t lay;
    xt_planar_layout_init(lay);
    int rigid = 0;
    int rc = xt_planar_layout_from_json(lay, root, path, err);
    if (rc == XT_OK)
        rc = xt_planar_rigidity(&rigid, lay, inst, err);
    rep->verified = rc == XT_OK && rigid;
    xt_planar_layout_clear(lay);
    return rc;
}
