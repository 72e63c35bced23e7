/* params.h — gen-sample's planted parameters (all echoed in truth.txt) and
 * the fixed vocabularies: channels, products, regions, interaction types,
 * tiers, countries, UTC offsets, RNG stream ids.  See docs/sample-data.md.
 */
#ifndef GS_PARAMS_H
#define GS_PARAMS_H

/* score latent = SCORE_BASE + PE_COEF*(peak_end-3) + SKILL_SCORE*skill
 *              + channel + region + product + tier + TREND*(month-(M-1)/2)
 *              + N(0, SCORE_NOISE); score = clamp(round(latent), 0, 10) */
#define SCORE_BASE 7.90
#define PE_COEF 1.50
#define SKILL_SCORE 0.35
#define SKILL_END 0.60      /* added to the latent last moment             */
#define SKILL_END2 0.30     /* added to the latent second-to-last moment   */
#define SKILL_MOT_PEAK 0.40 /* raises the chance that a MoT peak is good   */
#define TREND_PER_MONTH 0.055
#define SCORE_NOISE 1.20
#define MOMENT_Q_SD 0.70   /* per-response quality shared by its moments  */
#define MOMENT_SD 0.80     /* per-moment noise                            */
#define MOMENT_SHIFT 0.25  /* moments centre on 3.25                      */
#define MOT_PEAK_PROB 0.85 /* share of MoT responses with an extreme peak */

#define P_UNKNOWN_CUSTOMER 0.01
#define P_MOT_ROWS 0.15
#define P_NO_MOMENTS 0.10
#define P_EMPTY_COMMENT 0.40
#define P_SPECIAL_COMMENT 0.10 /* of non-empty comments */
#define P_EMPTY_CHANNEL 0.05
#define P_EMPTY_REGION 0.03
#define P_OFFSET_TS 0.02
#define P_UPDATED 0.30
#define PART_TIME_WEIGHT (1.0 / 15.0)
#define HT_SD 0.45 /* lognormal sd of handle time around agent median */

/* spend */
#define SPEND_BEFORE_DAYS 120
#define SPEND_AFTER_DAYS 45
#define SPEND_WINDOW 90
#define SPEND_GAP_MIN 4
#define SPEND_GAP_SPAN 7 /* gaps 4..10 days: about one purchase a week */
#define SPEND_NOISE 0.20 /* lognormal sd of each purchase amount        */
#define MOT_POS_UP_P 0.85
#define MOT_POS_UP 1.40
#define MOT_POS_DOWN 0.75
#define MOT_NEG_DOWN_P 0.70
#define MOT_NEG_DOWN 0.60
#define MOT_NEG_UP 1.25

/* customers */
#define VALUE_FLOOR 40.0
#define VALUE_MU 7.30 /* median of the lognormal part: e^7.3 ~ 1480 */
#define VALUE_SIGMA 1.60
#define P_EMPTY_VALUE 0.05
#define Z_ENTERPRISE 1.6448536 /* top 5% of value  */
#define Z_BUSINESS 0.8416212   /* next 15% of value */

enum { CH_PHONE, CH_CHAT, CH_EMAIL, CH_WEB, N_CH };
static const char *const CH_NAME[N_CH] = {"phone", "chat", "email", "web"};
static const double CH_P[N_CH] = {0.35, 0.25, 0.15, 0.25};
static const double CH_EFF[N_CH] = {0.0, 0.50, -0.50, -0.35};

enum { N_PROD = 4 };
static const char *const PROD_NAME[N_PROD] = {"cards", "loans", "travel", "insurance"};
static const double PROD_P[N_PROD] = {0.35, 0.20, 0.20, 0.25};
static const double PROD_EFF[N_PROD] = {0.0, -0.15, 0.10, -0.05};

enum { N_REG = 4 };
static const char *const REG_NAME[N_REG] = {"north", "south", "east", "west"};
static const double REG_P[N_REG] = {0.25, 0.25, 0.25, 0.25};
static const double REG_EFF[N_REG] = {0.10, 0.20, 0.0, -0.80};

enum { N_ROUTINE = 4, N_MOT = 4 };
static const char *const ROUTINE_NAME[N_ROUTINE] = {"billing_question", "plan_change", "tech_support",
                                                    "address_change"};
static const double ROUTINE_P[N_ROUTINE] = {0.35, 0.20, 0.30, 0.15};
static const char *const MOT_NAME[N_MOT] = {"card_lost", "fraud_alert", "flight_cancelled", "outage"};
static const double MOT_P[N_MOT] = {0.30, 0.30, 0.20, 0.20};

enum { TIER_CONSUMER, TIER_BUSINESS, TIER_ENTERPRISE, N_TIER };
static const char *const TIER_NAME[N_TIER] = {"consumer", "business", "enterprise"};
static const double TIER_EFF[N_TIER] = {0.0, -0.30, -0.30};

enum { N_COUNTRY = 6 };
static const char *const COUNTRY_NAME[N_COUNTRY] = {"US", "GB", "DE", "FR", "NL", "IE"};
static const double COUNTRY_P[N_COUNTRY] = {0.40, 0.20, 0.15, 0.10, 0.10, 0.05};

static const int OFFSET_MIN[] = {60, 120, -300, 330, -180, 540, -480, 600};
#define N_OFFSET ((int)(sizeof OFFSET_MIN / sizeof OFFSET_MIN[0]))

/* RNG streams */
enum { ST_SETUP = 1, ST_ROWS = 2, ST_CUST = 3, ST_SPEND = 4, ST_PICK = 5, ST_VERB = 6 };

#endif
