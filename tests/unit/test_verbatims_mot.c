/* test_verbatims_mot.c — moments of truth found in the comments
 * (stats/text/verbatims.h): routine interactions flagged by their
 * charge, and the flags' recall and precision on a set labelled by hand. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "verb_fixture.h"

#include "run_suite.h"

START_TEST(unlabelled_moments_of_truth)
{
    verb_acc *a = acc_new(0);
    verb_flag f;
    /* routine (empty or not in mot_types) and strongly charged: flagged */
    ck_assert_int_eq(add(a, "r1", 3, "", "I was stranded abroad and panicked", 24300, &f), 1);
    ck_assert(f.routine && f.unlabelled_mot);
    ck_assert_int_eq(add(a, "r2", 10, "billing", "I was so relieved, you saved me", 24300, &f), 1);
    ck_assert(f.routine && f.unlabelled_mot);
    /* a labelled type is not "unlabelled" */
    ck_assert_int_eq(add(a, "r3", 3, "card_lost", "I was stranded abroad and panicked", 24300, &f), 1);
    ck_assert(!f.routine && !f.unlabelled_mot);
    /* mild or negated charge is not a moment of truth */
    ck_assert_int_eq(add(a, "r4", 6, "billing", "a bit annoyed, not worried", 24300, &f), 1);
    ck_assert(!f.unlabelled_mot);
    ck_assert_int_eq(add(a, "r5", 9, "billing", "thanks for the help", 24300, &f), 1);
    ck_assert(!f.unlabelled_mot);
    /* anger alone is not one either (anger is at most 2) */
    ck_assert_int_eq(add(a, "r6", 1, "billing", "outrageous fees", 24300, &f), 1);
    ck_assert(!f.unlabelled_mot);
    const verb_result *res = verb_finish(a);
    ck_assert_ptr_nonnull(res);
    ck_assert_int_eq(res->flagged, 2);
    ck_assert_int_eq(res->mot_nps.p, 1);
    ck_assert_int_eq(res->mot_nps.d, 1);
    ck_assert_int_eq(res->routine_comments, 5);
    verb_free(a);
}
END_TEST

/* A labelled set written by hand for this test (not by gen-sample, and
 * not used to choose the lexicon's entries): routine calls whose comment
 * says the customer lived a moment of truth (1), or did not (0).  Measured
 * when written: 19 of 20 found (the miss: "couldn't buy food ... account
 * was frozen, awful week", charge 2), no false flag of 20. */
static const struct {
    int mot;
    const char *comment;
} hand_set[] = {
    {1, "My card got blocked while I was in Portugal and I had no way to pay the hotel, I was in a panic"},
    {1, "Someone took money out of my account overnight and I was terrified I'd lost my savings"},
    {1, "My mum passed away and dealing with her account was a nightmare until Sarah helped"},
    {1, "I was stuck at the airport with no money and the agent sorted it, what a relief"},
    {1, "I was worried sick that my rent wouldn't go through"},
    {1, "Honestly I was desperate, the payment for the hospital kept being declined"},
    {1, "The agent calmed me down when I was completely overwhelmed"},
    {1, "I thought I had been scammed and was shaking, she reassured me"},
    {1, "I cried on the phone, they were so kind and fixed everything"},
    {1, "I couldn't buy food for my kids because my account was frozen, awful week"},
    {1, "Me bloquearon la tarjeta en el extranjero y no tenía dinero para volver, estaba desesperada"},
    {1, "Pensé que me habían robado todos mis ahorros, tenía muchísimo miedo"},
    {1, "Mi padre falleció y el trámite fue una pesadilla hasta que me ayudaron"},
    {1, "Estaba angustiada porque no podía pagar el hospital"},
    {1, "Me quedé tirado en el aeropuerto sin un duro, menos mal que lo solucionaron"},
    {1, "Me hackearon la cuenta y entré en pánico, la agente me tranquilizó"},
    {1, "Estaba llorando cuando llamé, me salvaron la vida"},
    {1, "Qué alivio, pensaba que había perdido todo el dinero"},
    {1, "Estaba muy preocupado porque no me llegaba la nómina y tenía que pagar el alquiler"},
    {1, "Fue un calvario de tres semanas sin acceso a mi dinero"},
    {0, "Quick call to change my address, all good"},
    {0, "The agent was friendly and explained the new plan"},
    {0, "Not worried at all, just wanted to check a charge"},
    {0, "Slightly annoyed by the hold music but fine"},
    {0, "Thanks, sorted in five minutes"},
    {0, "I'm frustrated that the app logs me out so often"},
    {0, "Great service as always, thank you very much"},
    {0, "The fee was higher than expected, not happy"},
    {0, "Billing question answered, nothing special"},
    {0, "Waited a bit long but the agent was helpful"},
    {0, "Cambié mi plan sin problemas, gracias"},
    {0, "La agente fue muy amable y rápida"},
    {0, "No estaba preocupado, solo quería confirmar un pago"},
    {0, "Un poco molesto por la espera pero bien"},
    {0, "Todo correcto, gracias por la ayuda"},
    {0, "La aplicación falla a veces, es frustrante"},
    {0, "Excelente servicio, como siempre"},
    {0, "Me cobraron una comisión que no esperaba"},
    {0, "Consulta sobre la factura resuelta"},
    {0, "Tardaron un poco pero lo resolvieron"},
};

START_TEST(moments_of_truth_on_a_hand_labelled_set)
{
    verb_acc *a = acc_new(0);
    verb_flag f;
    int tp = 0, fp = 0, fn = 0;
    for (size_t i = 0; i < sizeof hand_set / sizeof *hand_set; i++) {
        ck_assert_int_eq(add(a, "h", 5, "billing_question", hand_set[i].comment, 24300, &f), 1);
        if (f.unlabelled_mot && hand_set[i].mot) tp++;
        else if (f.unlabelled_mot) fp++;
        else if (hand_set[i].mot) fn++;
    }
    double recall = tp / (double)(tp + fn), precision = tp / (double)(tp + fp);
    ck_assert_msg(recall >= 0.85 && precision >= 0.9, "recall %.2f precision %.2f", recall, precision);
    verb_free(a);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("verbatims_mot");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, unlabelled_moments_of_truth);
    tcase_add_test(tc, moments_of_truth_on_a_hand_labelled_set);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
