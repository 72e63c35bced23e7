/* verbatims.c — gen-sample --verbatims: comments in English and Spanish
 * with planted detractor and promoter themes and planted moments of truth
 * (emotionally charged stories), written in place of the canned comments,
 * and verbatims_truth.csv saying what was planted where.  Its own RNG
 * stream (ST_VERB), so every other column is the same as without the
 * option; without it nothing here runs.
 */
#include "gs.h"

#define P_SPANISH 0.40
#define P_STORY 0.03      /* of the generated comments: a charged story */
#define P_DISTRACTOR 0.06 /* mild, negated or polite charge that is no moment of truth */

typedef struct theme_t {
    const char *name;       /* as cxpulse should show it */
    const char *const v[3]; /* sentences that carry it (the first most often) */
} theme_t;

/* [language][class]: detractor themes, promoter themes */
static const theme_t DET_EN[] = {
    {"hidden fees",
     {"there were hidden fees on my statement", "hidden fees again this month",
      "I keep finding hidden fees"}},
    {"app crashed",
     {"the app crashed when I tried to pay", "your app crashed twice today", "the app crashes at login"}},
    {"transferred",
     {"I was transferred three times", "they transferred me to another department",
      "got transferred and cut off"}},
};
static const theme_t PRO_EN[] = {
    {"friendly staff",
     {"such friendly staff at the branch", "friendly staff as always", "really friendly staff"}},
    {"quick refund",
     {"I got a quick refund", "quick refund, no questions asked", "a quick refund the same day"}},
};
static const theme_t DET_ES[] = {
    {"comisiones ocultas",
     {"me cobraron comisiones ocultas", "otra vez comisiones ocultas en el extracto",
      "una comisión oculta que nadie explicó"}},
    {"aplicación falla",
     {"la aplicación falla al entrar", "la aplicación falla cada vez que pago",
      "la aplicacion fallaba todo el rato"}},
    {"transferencia",
     {"transferencia tras transferencia sin solución", "me han transferido tres veces",
      "me transfirieron y me colgaron"}},
};
static const theme_t PRO_ES[] = {
    {"personal amable",
     {"el personal muy amable", "personal amable y atento", "un personal amable de verdad"}},
    {"reembolso rápido",
     {"un reembolso rápido", "reembolso rápido sin preguntas", "me hicieron un reembolso rápido"}},
};

static const char *const FILL_EN[] = {
    "I called about my account",         "it was about my credit card",    "I spoke to someone on the phone",
    "this was my second call this week", "I use online banking every day", "my question was about a payment",
    "I have been a customer for years",  "I went to the branch on Monday",
};
static const char *const FILL_ES[] = {
    "llamé por mi cuenta",
    "era sobre mi tarjeta de crédito",
    "hablé con alguien por teléfono",
    "es la segunda vez que llamo esta semana",
    "uso la banca en línea todos los días",
    "mi consulta era sobre un pago",
    "soy cliente desde hace años",
    "fui a la sucursal el lunes",
};
static const char *const TONE_EN[3][4] = {
    {"not happy at all", "very disappointed", "poor service", "took far too long"},
    {"it was okay", "fine overall", "average service", "nothing special"},
    {"great service", "really helpful", "excellent as always", "very good experience"},
};
static const char *const TONE_ES[3][4] = {
    {"nada contento", "muy decepcionado", "mal servicio", "tardaron demasiado"},
    {"estuvo bien", "normal", "servicio correcto", "nada especial"},
    {"excelente servicio", "muy útiles", "genial como siempre", "muy buena experiencia"},
};
static const char *const DISTRACT_EN[] = {
    "I was not worried at all",       "a bit annoyed but fine", "thanks for the help",
    "nothing scary, just a question", "never felt unsafe",      "thank you",
};
static const char *const DISTRACT_ES[] = {
    "no estaba preocupado",          "un poco molesto pero bien", "gracias por la ayuda",
    "nada grave, solo una consulta", "nunca tuve miedo",          "gracias",
};
static const char *const SIT_EN[] = {
    "I was stranded abroad with a blocked card",
    "my wallet was stolen on holiday",
    "someone emptied my account overnight",
    "my card was declined at the hospital",
    "I could not pay the rent and had no money left",
    "my flight was cancelled and I was stuck at the airport",
};
static const char *const FEEL_EN[] = {
    "and I panicked", "and I was terrified", "I was desperate", "I felt completely helpless",
    "I was in tears", "I was so scared",
};
static const char *const RELIEF_EN[] = {
    "you saved me",
    "what a relief when it was sorted",
    "I was so relieved",
    "thank god someone helped",
};
static const char *const SIT_ES[] = {
    "me quedé sin dinero en el extranjero",
    "me robaron la cartera de viaje",
    "me vaciaron la cuenta de la noche a la mañana",
    "me rechazaron la tarjeta en el hospital",
    "no podía pagar el alquiler",
    "cancelaron mi vuelo y me quedé atrapada en el aeropuerto",
};
static const char *const FEEL_ES[] = {
    "y entré en pánico",  "estaba aterrada", "estaba desesperado",
    "me sentí impotente", "estaba llorando", "tenía mucho miedo",
};
static const char *const RELIEF_ES[] = {
    "me salvaron",
    "qué alivio cuando lo arreglaron",
    "me quedé muy aliviada",
    "gracias a dios alguien me ayudó",
};

#define PICK(r, a) (a)[rng_below((r), (uint64_t)NELEM(a))]

static void add(char *buf, size_t *n, size_t cap, const char *s)
{
    size_t l = strlen(s);
    if (*n + l + 3 >= cap) return;
    if (*n) {
        buf[(*n)++] = '.';
        buf[(*n)++] = ' ';
    }
    memcpy(buf + *n, s, l);
    if (*n == 0 && buf[0] >= 'a' && buf[0] <= 'z') buf[0] = (char)(buf[0] - 32);
    *n += l;
    buf[*n] = '\0';
}

/* A sentence of THEME: the first wording half the time. */
static const char *theme_sentence(rng_t *r, const theme_t *t)
{
    double u = rng_unif(r);
    return t->v[u < 0.5 ? 0 : u < 0.75 ? 1 : 2];
}

void vg_open(vgen_t *g, const world_t *w)
{
    memset(g, 0, sizeof *g);
    rng_seed(&g->r, w->o.seed, ST_VERB, 0);
    if (w->to_stdout) return;
    snprintf(g->path, sizeof g->path, "%s/verbatims_truth.csv", w->o.out);
    snprintf(g->tmp, sizeof g->tmp, "%s.tmp", g->path);
    g->f = fopen(g->tmp, "w");
    if (!g->f) die(g->tmp, strerror(errno));
    fputs("response_id,language,theme,theme_class,story,routine\n", g->f);
}

void vg_close(vgen_t *g)
{
    if (!g->f) return;
    if (ferror(g->f) || fclose(g->f) != 0) die(g->tmp, "write error");
    if (rename(g->tmp, g->path) != 0) die(g->path, strerror(errno));
}

char *vg_comment(vgen_t *g, char *p, const char *id, int score, int routine)
{
    rng_t *r = &g->r;
    int es = rng_unif(r) < P_SPANISH;
    int cls = score >= 9 ? 2 : score >= 7 ? 1 : 0;
    char buf[1024];
    size_t n = 0;
    buf[0] = '\0';
    const char *theme = "", *theme_class = "";
    int story = rng_unif(r) < P_STORY;
    if (story) {
        add(buf, &n, sizeof buf, es ? PICK(r, SIT_ES) : PICK(r, SIT_EN));
        {
            const char *f = es ? PICK(r, FEEL_ES) : PICK(r, FEEL_EN);
            if (n + strlen(f) + 3 < sizeof buf) { /* same sentence: ", feeling" */
                buf[n++] = ',';
                buf[n++] = ' ';
                memcpy(buf + n, f, strlen(f) + 1);
                n += strlen(f);
            }
        }
        if (rng_unif(r) < 0.4) add(buf, &n, sizeof buf, es ? PICK(r, RELIEF_ES) : PICK(r, RELIEF_EN));
    } else {
        double pd = cls == 0 ? 0.5 : cls == 1 ? 0.1 : 0.02;
        double pp = cls == 2 ? 0.4 : cls == 1 ? 0.1 : 0.02;
        double u = rng_unif(r);
        const theme_t *t = NULL;
        if (u < pd) {
            t = es ? &DET_ES[rng_below(r, (uint64_t)NELEM(DET_ES))]
                   : &DET_EN[rng_below(r, (uint64_t)NELEM(DET_EN))];
            theme_class = "detractor";
        } else if (u < pd + pp) {
            t = es ? &PRO_ES[rng_below(r, (uint64_t)NELEM(PRO_ES))]
                   : &PRO_EN[rng_below(r, (uint64_t)NELEM(PRO_EN))];
            theme_class = "promoter";
        }
        int nfill = (int)rng_below(r, 3);
        if (rng_unif(r) < 0.5 && nfill) {
            add(buf, &n, sizeof buf, es ? PICK(r, FILL_ES) : PICK(r, FILL_EN));
            nfill--;
        }
        if (t) {
            theme = t->name;
            add(buf, &n, sizeof buf, theme_sentence(r, t));
        }
        if (rng_unif(r) < 0.7)
            add(buf, &n, sizeof buf, es ? TONE_ES[cls][rng_below(r, 4)] : TONE_EN[cls][rng_below(r, 4)]);
        while (nfill-- > 0) add(buf, &n, sizeof buf, es ? PICK(r, FILL_ES) : PICK(r, FILL_EN));
        if (rng_unif(r) < P_DISTRACTOR)
            add(buf, &n, sizeof buf, es ? PICK(r, DISTRACT_ES) : PICK(r, DISTRACT_EN));
        if (n == 0) add(buf, &n, sizeof buf, es ? PICK(r, FILL_ES) : PICK(r, FILL_EN));
    }
    if (n + 1 < sizeof buf) {
        buf[n++] = '.';
        buf[n] = '\0';
    }
    if (g->f) fprintf(g->f, "%s,%s,%s,%s,%d,%d\n", id, es ? "es" : "en", theme, theme_class, story, routine);
    int quote = strpbrk(buf, ",\"\r\n") != NULL;
    if (quote) *p++ = '"';
    for (size_t i = 0; i < n; i++) {
        if (buf[i] == '"') *p++ = '"';
        *p++ = buf[i];
    }
    if (quote) *p++ = '"';
    return p;
}
