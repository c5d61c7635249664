package dev.plumb.units.synthetic;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The template banks behind {@link LogGenerator}: queries, responses and pin texts of a
 * visual-discovery platform. Every text is written here, by us, from templates and word lists; none
 * comes from real users. Violating texts are clearly violating to a careful reader but worded unlike
 * the starter policies' examples (which train the local classifier), and safe "decoys" (recovery
 * stories, art, fact-checks, anti-bullying material) share their vocabulary, so a classifier has
 * real work to do. Violating texts never contain operational detail (no methods, quantities or real
 * people): the violation is in what the text does (promotes, solicits, threatens, misleads).
 */
final class Texts {
  private Texts() {}

  /** A topic: nouns and modifiers that combine into titles and queries. */
  private record Topic(String name, List<String> nouns, List<String> modifiers, List<String> tips) {}

  private static final List<Topic> TOPICS = List.of(
      new Topic("home decor",
          List.of("living room", "reading nook", "entryway", "bedroom", "gallery wall", "bookshelf",
              "kitchen island", "window seat", "bathroom", "balcony"),
          List.of("cozy", "minimalist", "boho", "scandinavian", "rustic", "small", "mid-century",
              "japandi", "colorful", "budget"),
          List.of("Layer two rugs to make the room feel warmer.",
              "Paint the ceiling a shade lighter than the walls.",
              "Group frames in odd numbers for a relaxed look.",
              "Swap cold bulbs for warm 2700K ones.")),
      new Topic("recipes",
          List.of("pasta", "sheet pan dinner", "lentil soup", "banana bread", "curry", "salad",
              "tacos", "overnight oats", "sourdough", "stir fry"),
          List.of("easy", "weeknight", "vegan", "one-pot", "high-protein", "15-minute", "family",
              "gluten-free", "spicy", "budget"),
          List.of("Toast the spices first for a deeper flavour.",
              "Salt the pasta water like the sea.",
              "Make a double batch and freeze half.",
              "Let the dough rest overnight in the fridge.")),
      new Topic("fitness",
          List.of("home workout", "running plan", "yoga flow", "stretching routine", "core workout",
              "walking challenge", "kettlebell routine", "pilates session", "mobility drills",
              "hiking plan"),
          List.of("beginner", "20-minute", "low-impact", "morning", "full-body", "no-equipment",
              "gentle", "outdoor", "weekly", "postpartum"),
          List.of("Warm up for five minutes before you start.",
              "Rest days are part of the plan.",
              "Drink water and eat a proper meal afterwards.",
              "Increase the distance by no more than ten percent a week.")),
      new Topic("fashion",
          List.of("capsule wardrobe", "fall outfit", "work outfit", "sneaker look", "denim jacket",
              "wedding guest dress", "layering idea", "linen set", "winter coat", "street style"),
          List.of("casual", "vintage", "elegant", "thrifted", "oversized", "neutral", "bold",
              "classic", "sustainable", "petite"),
          List.of("Pick three base colours and build around them.",
              "Roll the sleeves once for a relaxed fit.",
              "Tuck the front only for a longer leg line.",
              "Buy second-hand first.")),
      new Topic("travel",
          List.of("weekend in Lisbon", "road trip", "camping checklist", "packing list",
              "beach getaway", "city break", "mountain cabin", "train journey", "island hopping",
              "food market tour"),
          List.of("budget", "slow", "family", "solo", "autumn", "carry-on only", "scenic",
              "off-season", "eco-friendly", "three-day"),
          List.of("Book the first train of the day to avoid crowds.",
              "Roll your clothes to save space.",
              "Download offline maps before you go.",
              "Always carry a refillable water bottle.")),
      new Topic("gardening",
          List.of("balcony garden", "herb planter", "raised bed", "succulent arrangement",
              "tomato trellis", "wildflower patch", "compost bin", "indoor jungle", "bulb lasagna",
              "shade garden"),
          List.of("small", "low-maintenance", "pollinator-friendly", "container", "vertical",
              "beginner", "drought-tolerant", "urban", "cottage", "year-round"),
          List.of("Water early in the morning.",
              "Mix coffee grounds into the compost.",
              "Group plants with the same light needs.",
              "Mulch keeps the soil moist for longer.")),
      new Topic("diy",
          List.of("pallet shelf", "macrame hanger", "painted dresser", "candle making",
              "tile backsplash", "upcycled jar", "woven basket", "wooden sign", "bench", "lampshade"),
          List.of("easy", "weekend", "upcycled", "kid-friendly", "rustic", "modern", "no-sew",
              "beginner", "cheap", "handmade"),
          List.of("Sand between coats for a smooth finish.",
              "Measure twice, cut once.",
              "Seal it with a water-based varnish.",
              "Use painter's tape for crisp lines.")),
      new Topic("parenting",
          List.of("lunchbox idea", "bedtime routine", "rainy day activity", "sensory bin",
              "chore chart", "birthday party", "toddler snack", "homework corner",
              "first day of school", "family game night"),
          List.of("simple", "screen-free", "toddler", "montessori", "budget", "printable", "calm",
              "quick", "outdoor", "creative"),
          List.of("Keep the routine the same every night.",
              "Let them choose between two options.",
              "Put a timer on tidy-up and make it a race.",
              "Prep snacks on Sunday for the whole week.")),
      new Topic("pets",
          List.of("dog treat", "cat tree", "puppy training", "aquarium setup", "dog walk route",
              "rabbit hutch", "pet portrait", "cat toy", "grooming routine", "dog bed"),
          List.of("homemade", "cheap", "cozy", "easy", "natural", "diy", "senior", "small-space",
              "indoor", "cute"),
          List.of("Reward the behaviour within two seconds.",
              "Brush short coats once a week.",
              "Rotate toys so they stay interesting.",
              "Ask your vet before changing food.")),
      new Topic("art",
          List.of("watercolor landscape", "sketchbook page", "pottery bowl", "linocut print",
              "embroidery hoop", "acrylic pour", "calligraphy quote", "collage", "portrait study",
              "mural"),
          List.of("beginner", "abstract", "botanical", "moody", "colorful", "minimal", "retro",
              "loose", "step-by-step", "tiny"),
          List.of("Start with a limited palette of three colours.",
              "Wet the paper before adding the sky.",
              "Trace the outline lightly in pencil first.",
              "Let each layer dry completely.")),
      new Topic("weddings",
          List.of("table setting", "bouquet", "hairstyle", "invitation", "arch decoration",
              "cake", "seating chart", "favor", "first dance song", "venue"),
          List.of("rustic", "boho", "elegant", "garden", "winter", "small", "modern", "vintage",
              "beach", "budget"),
          List.of("Order ten percent more flowers than you think.",
              "Send save-the-dates six months ahead.",
              "Test the hairstyle a month before.",
              "Keep the seating chart flexible until the last week.")));

  private static final List<String> NAMES = List.of(
      "Mara Quill", "Teo Brannick", "Jolie Ashgrove", "Dev Ostrander", "Nell Varga", "Rafe Linden",
      "Sunny Okafor-Bell", "Ivo Castellane", "Pia Drummond", "Caspar Wren", "Lotte Fairbairn",
      "Omar Teasdale");

  private static final List<String> TOWNS = List.of(
      "Millbrook", "Harlow Bay", "East Fennick", "Ridgewater", "Port Alder", "Greyhaven",
      "Castlemoor", "Little Dunmore");

  private static final List<String> AILMENTS = List.of(
      "diabetes", "asthma", "high blood pressure", "cancer", "arthritis", "measles");

  private static final List<String> REMEDIES = List.of(
      "celery juice", "a baking soda drink", "raw garlic water", "colloidal silver",
      "a turpentine cleanse", "apple cider vinegar shots");

  // ---- safe content --------------------------------------------------------------------------

  static String searchQuery(SplittableRandom r, int topic) {
    Topic t = TOPICS.get(topic);
    String noun = pick(r, t.nouns());
    String mod = pick(r, t.modifiers());
    return switch (r.nextInt(5)) {
      case 0 -> mod + " " + noun + " ideas";
      case 1 -> noun + " " + mod;
      case 2 -> "how to " + (t.name().equals("recipes") ? "make " : "plan a ") + mod + " " + noun;
      case 3 -> mod + " " + noun;
      default -> noun + " inspiration " + (2026 - r.nextInt(3));
    };
  }

  static String assistantQuery(SplittableRandom r, int topic) {
    Topic t = TOPICS.get(topic);
    String noun = pick(r, t.nouns());
    String mod = pick(r, t.modifiers());
    return switch (r.nextInt(4)) {
      case 0 -> "Can you help me find a " + mod + " " + noun + "?";
      case 1 -> "What are some " + mod + " " + noun + " ideas for this weekend?";
      case 2 -> "I need " + t.name() + " inspiration: something " + mod + ", please";
      default -> "Show me a " + noun + " that is " + mod + " but not boring";
    };
  }

  static String searchResponse(SplittableRandom r, String query, int pins) {
    return switch (r.nextInt(3)) {
      case 0 -> "Pins related to your search";
      case 1 -> pins + " ideas for \u201c" + query + "\u201d";
      default -> "Top Pins for " + query;
    };
  }

  static String relatedResponse(SplittableRandom r) {
    return r.nextBoolean() ? "More like this" : "You might also like";
  }

  static String assistantResponse(SplittableRandom r, int topic) {
    Topic t = TOPICS.get(topic);
    return "Here are a few " + pick(r, t.modifiers()) + " " + t.name() + " ideas I found for you. "
        + pick(r, t.tips()) + " Tap a Pin to save it to a board.";
  }

  static String pinTitle(SplittableRandom r, int topic) {
    Topic t = TOPICS.get(topic);
    String noun = pick(r, t.nouns());
    String mod = pick(r, t.modifiers());
    return switch (r.nextInt(5)) {
      case 0 -> capital(mod) + " " + noun;
      case 1 -> (3 + r.nextInt(28)) + " " + mod + " " + noun + " ideas";
      case 2 -> "The " + mod + " " + noun + " you will love";
      case 3 -> capital(noun) + ", " + mod + " edition";
      default -> "My " + mod + " " + noun + " (before and after)";
    };
  }

  static String pinDescription(SplittableRandom r, int topic) {
    Topic t = TOPICS.get(topic);
    String tip = pick(r, t.tips());
    return switch (r.nextInt(4)) {
      case 0 -> tip + " Save this for later.";
      case 1 -> "Everything you need for a " + pick(r, t.modifiers()) + " " + pick(r, t.nouns())
          + ". " + tip;
      case 2 -> tip;
      default -> "Step by step, with a printable checklist. " + tip;
    };
  }

  static int topics() {
    return TOPICS.size();
  }

  // ---- policy-related content: violating, borderline, and safe decoys -------------------------

  /** A policy-related text: its title/description (or query/response text) and truth. */
  record Labeled(String title, String description, String category) {}

  /**
   * A text built from interchangeable parts: one title, then one sentence from each list of
   * {@code sentences} (the variety keeps a violation from being one memorisable string, so that a
   * classifier trained on past reviews has to generalise, as it does on real traffic).
   */
  private static Labeled compose(SplittableRandom r, String category, List<String> titles, List<List<String>> sentences) {
    StringBuilder d = new StringBuilder();
    for (List<String> options : sentences) {
      String s = pick(r, options);
      if (!s.isEmpty()) {
        d.append(d.length() == 0 ? "" : " ").append(s);
      }
    }
    return new Labeled(pick(r, titles), d.toString(), category);
  }

  private static final List<String> TONIGHT = List.of("tonight", "this weekend", "after school", "every night", "right now");

  /** Violating pin for a policy (index into {@link LogGenerator#POLICIES}). */
  static Labeled violatingPin(SplittableRandom r, int policy) {
    String name = pick(r, NAMES);
    String first = first(name);
    String town = pick(r, TOWNS);
    String when = pick(r, TONIGHT);
    return switch (policy) {
      case 0 -> switch (r.nextInt(4)) { // adult_sexual
        case 0 -> compose(r, "explicit_sexual_activity",
            List.of("Private after-dark videos \uD83D\uDD1E", "Our bedroom tapes, uncut", "Couples cam: the full version",
                "What happens after the lights go off \uD83D\uDD1E", "Honeymoon footage (explicit)"),
            List.of(List.of("Full explicit scenes, nothing blurred.", "Uncut hardcore clips with my partner.",
                    "Real couples, completely explicit, no censorship.", "Every scene shown in full, graphic and uncensored."),
                List.of("New uploads " + when + ".", "The long version is on my page.", "", "Link in the comments.")));
        case 1 -> compose(r, "nudity",
            List.of("Totally nude beach set", "Fully naked shoot, part " + (2 + r.nextInt(9)), "Nothing covered \uD83D\uDC40",
                "Bare everything photo dump", "The no-towel sauna series"),
            List.of(List.of("Photo set with everything on show, no sheets, no edits.",
                    "Full frontal, not a single thing hidden.", "Completely undressed shots, uncropped.",
                    "Everything visible this time, zero censor bars."),
                List.of("", "Swipe for the rest.", "More in the album.")));
        case 2 -> compose(r, "solicitation",
            List.of("Lonely tonight?", "Spicy private chat \uD83C\uDF46", "VIP menu open", "Custom content open \uD83D\uDCB8",
                "Bored and available \uD83D\uDE18"),
            List.of(List.of("Paid explicit shows and custom nude content.", "Selling private explicit videos and live shows.",
                    "Nude pics and sexting sessions for a fee.", "Explicit video calls, paid by the minute."),
                List.of("Message me on the other app for my rates.", "Prices in my bio.", "DM for the menu.",
                    "Payment first, then I send everything.")));
        default -> compose(r, "solicitation", // coded: no explicit word, the offer is in the slang and emoji
            List.of("\uD83C\uDF51\uD83C\uDF46 menu updated", "Link in bio, you know what for \uD83D\uDE09", "Spicy account \u2192 check bio"),
            List.of(List.of("The uncensored version of this is on my other page, subscribers only.",
                    "Tip jar open, the spicy set unlocks after.", "Private sessions open for the generous ones."),
                List.of("\uD83D\uDD25\uD83D\uDD1E", "Don't be shy.", "")));
      };
      case 1 -> switch (r.nextInt(5)) { // harassment
        case 0 -> compose(r, "threats",
            List.of(name + " should be scared", "A message for " + first, "Watch your back, " + first,
                first + ", we are coming"),
            List.of(List.of("We know which house is yours, " + first + ".", "We know the car you drive, " + first + ".",
                    "We found out where you work, " + first + "."),
                List.of("Keep posting and see what happens when you walk home " + when + ".",
                    "One more video and you will regret it for real.",
                    "You will not feel safe in " + town + " again.")));
        case 1 -> compose(r, "targeted_insults",
            List.of("Look at this clown: " + name, "The most pathetic person in " + town, first + " the loser",
                "Everyone hates " + name),
            List.of(List.of(first + " is a disgusting, worthless loser.", first + " is a useless waste of space.",
                    name + " is the ugliest, dumbest person I have ever met."),
                List.of("Everyone at work laughs behind their back.", "Never hire this pathetic person.",
                    "Do the world a favour and disappear.", "Share so everybody knows.")));
        case 2 -> compose(r, "sexual_harassment",
            List.of("Rate " + first + "'s body", first + " from the gym \uD83D\uDC40", "Found " + first + "'s beach pics"),
            List.of(List.of("Comment what you would do to her.", "Tell her what you think of her body, in detail.",
                    "Send her your filthiest comments."),
                List.of("She posts these pics so she is asking for it.", "She can't complain, she put them online.",
                    "Make sure she sees them.")));
        case 3 -> compose(r, "exposure_and_pile_ons",
            List.of("Found " + first + "'s address", "Where " + first + " lives", name + " exposed",
                "Everybody go after " + first),
            List.of(List.of("This is where " + name + " lives in " + town + ", and the workplace too.",
                    "Here is " + name + "'s phone number and the school her kids go to.",
                    "Posting " + first + "'s home street and work schedule."),
                List.of("Everybody go flood her inbox until she deletes her account.",
                    "You know what to do.", "Make her life hell until she apologises.")));
        default -> compose(r, "targeted_insults", // coded: no slur, the pile-on is in the framing
            List.of(first + " again \uD83E\uDD21", "Day " + (2 + r.nextInt(30)) + " of reminding " + first + " nobody likes them"),
            List.of(List.of("Tag " + first + " so she sees what we all think.", "Screenshot this before " + first + " deletes it again."),
                List.of("\uD83E\uDD21\uD83E\uDD21\uD83E\uDD21", "You all know the drill.", "")));
      };
      case 2 -> switch (r.nextInt(5)) { // misinformation
        case 0 -> compose(r, "health",
            List.of(capital(pick(r, REMEDIES)) + " cures " + pick(r, AILMENTS), "Doctors hate this " + pick(r, AILMENTS) + " cure",
                "I beat " + pick(r, AILMENTS) + " with " + pick(r, REMEDIES)),
            List.of(List.of("Big pharma hides this: drink it daily and throw away your prescriptions.",
                    "It works better than any medicine, stop the pills and try this.",
                    "No need for treatment, this reverses it completely."),
                List.of("My aunt stopped her treatment and was healed in a week.", "They don't want you to know.",
                    "Share before it gets taken down.")));
        case 1 -> compose(r, "civic_process",
            List.of("Voting changed in " + town + "!", "Election update for " + town, "Don't queue at the polls this year"),
            List.of(List.of("This year residents of " + town + " vote by replying to a text message.",
                    "Voters in " + town + " can now cast their ballot by email, no need to go in person.",
                    "The election in " + town + " was moved to the day after, tell everyone."),
                List.of("No need to go to the polling station.", "Share before they delete this.", "Officials confirmed it.")));
        case 2 -> compose(r, "crisis",
            List.of("BREAKING: " + town + " dam has collapsed", "Evacuation in " + town + " is a trap",
                town + " flood: what they are not telling you"),
            List.of(List.of("The shelters are a trap, officials are lying.", "The evacuation order is fake, the water is clean.",
                    "Emergency services are lying to you about the fire."),
                List.of("Do not evacuate, stay inside and wait for real news.", "Ignore the alerts and stay put.",
                    "Don't trust the official channels.")));
        case 3 -> compose(r, "manipulated_media",
            List.of("Real photo, not edited", "Unedited: " + town + " last night", "This really happened"),
            List.of(List.of("Shark swimming down the main road of " + town + " after last night's storm.",
                    "The mayor of " + town + " caught on camera burning ballots.",
                    "A giant wave swallowing the " + town + " pier, filmed this morning."),
                List.of("The media won't show you this.", "100% real, share it.", "Not fake, my cousin was there.")));
        default -> compose(r, "health", // coded: "just asking questions"
            List.of("Just asking questions about " + pick(r, AILMENTS), "Why is nobody talking about " + pick(r, REMEDIES) + "?"),
            List.of(List.of("Funny how my neighbour stopped her medication, took " + pick(r, REMEDIES) + " and is fine now.",
                    "Makes you wonder why they still sell the medicine when " + pick(r, REMEDIES) + " does the same."),
                List.of("Do your own research.", "Think about it.", "")));
      };
      default -> switch (r.nextInt(4)) { // self_harm
        case 0 -> compose(r, "promotion",
            List.of("Scars are art \uD83E\uDD40", "Bleed the sadness out", "The only way out", "Pain is the cure"),
            List.of(List.of("If the heartbreak won't stop, hurting yourself is the answer.",
                    "Hurting yourself is the only thing that really works.",
                    "Nobody will miss you anyway, so why not end it."),
                List.of("You deserve the relief.", "Don't let anyone talk you out of it.", ""),
                List.of("Who's with me " + when + "?", "We do it together.", "")));
        case 1 -> compose(r, "instructions",
            List.of("Hiding marks from your parents", "Keeping it secret", "Long sleeves season \uD83E\uDD2B"),
            List.of(List.of("Tips thread: how to keep the cuts secret from family and the school nurse.",
                    "How to explain away fresh marks so nobody asks questions.",
                    "Ways to hide what you did from your doctor."),
                List.of("DM me and I'll send the rest of the list.", "Part two in my highlights.", "")));
        case 2 -> compose(r, "disordered_eating",
            List.of("Ana buddy wanted", "Thinspo goals \uD83E\uDDB4", "Day " + (3 + r.nextInt(9)) + " without food",
                "Bones are beautiful"),
            List.of(List.of("Skip meals, ignore the hunger, it means it's working.",
                    "Every meal you skip is a win.", "If you can't see your ribs yet, keep going."),
                List.of("Check in with me every night and no excuses.", "Post your progress below.", "")));
        default -> compose(r, "promotion", // coded: no explicit word
            List.of("\uD83E\uDD8B project " + when, "Relapse club \uD83D\uDDA4"),
            List.of(List.of("Relapsed again and honestly it felt good, don't let anyone talk you out of yours.",
                    "Counting the days until I do it for real. Anyone want to join?"),
                List.of("\uD83E\uDD8B\uD83E\uDD8B", "", "We understand each other.")));
      };
    };
  }

  /** Borderline (not violating) pin for a policy. */
  static Labeled borderlinePin(SplittableRandom r, int policy) {
    return switch (policy) {
      case 0 -> compose(r, null, List.of("Sheer lace bodysuit try-on", "Boudoir session with sheets",
          "Swimwear haul, tiny bikinis", "Lingerie for date night", "Steamy book club picks"),
          List.of(List.of("Nothing shown, but definitely not safe for the office.", "Tasteful, covered, a little daring.",
              "Suggestive poses, everything covered."), List.of("", "Swipe for the rest.")));
      case 1 -> compose(r, null, List.of("Worst referee in the league?", "That waiter tonight \uD83D\uDE44",
          "Celebrity worst dressed list", "My landlord is a clown"),
          List.of(List.of("That ref tonight was blind, honestly.", "Rudest service I have ever had.",
              "Who let them leave the house in that?"), List.of("Someone buy him glasses lol.", "Never again.", "")));
      case 2 -> compose(r, null, List.of(capital(pick(r, REMEDIES)) + " for colds?", "Grandma's winter remedy",
          "Does " + pick(r, REMEDIES) + " help?"),
          List.of(List.of("My grandma swears this keeps the flu away every winter.", "Not sure it works but it tastes ok.",
              "Some people say it boosts immunity."), List.of("Works for us!", "Anyone tried it?", "")));
      default -> compose(r, null, List.of("Some days I just want to disappear", "Tired of everything",
          "Can't do this anymore", "Heavy day"),
          List.of(List.of("Not sure why I even bother anymore.", "Everything feels pointless lately.",
              "I feel like a burden to everyone."), List.of("Just needed to say it somewhere.", "", "Don't know who else to tell.")));
    };
  }

  /** A safe decoy: shares a policy's vocabulary but is allowed (support, art, news, fact-checks). */
  static Labeled decoyPin(SplittableRandom r, int policy) {
    String town = pick(r, TOWNS);
    return switch (policy) {
      case 0 -> switch (r.nextInt(4)) {
        case 0 -> new Labeled(pick(r, List.of("Marble nudes of the Renaissance", "Life drawing class, week " + (1 + r.nextInt(8)))),
            pick(r, List.of("A museum walk through classical sculpture and what the artists were after.",
                "Charcoal figure studies from the evening class, proportions first.")), null);
        case 1 -> new Labeled("Breastfeeding in the first month",
            "Positions and latch tips from a lactation nurse.", null);
        case 2 -> new Labeled("Talking to teens about consent",
            pick(r, List.of("A school health guide with scenarios to discuss at home.",
                "How to start the conversation, with age-appropriate words.")), null);
        default -> new Labeled("Honeymoon packing list", "Beach cover-ups, sandals and a camera for the sunsets.", null);
      };
      case 1 -> switch (r.nextInt(4)) {
        case 0 -> new Labeled("Anti-bullying posters for classrooms",
            "Printable posters: what to do when someone is harassed online, and how to report it.", null);
        case 1 -> new Labeled("Roast battle night recap",
            "Friends roasting each other on stage, everyone was in on the joke.", null);
        case 2 -> new Labeled("How to block and report a stalker account",
            "Step-by-step privacy settings so nobody can find where you live or work.", null);
        default -> new Labeled("Watch your back posture!", "Five stretches for desk workers in " + town + ".", null);
      };
      case 2 -> switch (r.nextInt(4)) {
        case 0 -> new Labeled("Fact check: viral storm photos",
            "How to spot an edited image: reverse image search and checking the weather report.", null);
        case 1 -> new Labeled("How to register to vote in " + town,
            "Official dates, polling stations and ID rules from the election office.", null);
        case 2 -> new Labeled(capital(pick(r, REMEDIES)) + " myths, debunked",
            "A pharmacist explains why it does not cure anything and when to see a doctor.", null);
        default -> new Labeled(town + " flood safety checklist", "Follow the official evacuation alerts and pack a go-bag.", null);
      };
      default -> switch (r.nextInt(4)) {
        case 0 -> new Labeled("One year in recovery",
            "Healed scars, a lot of therapy and good friends. If you are struggling, please reach out.", null);
        case 1 -> new Labeled("You are not alone",
            "Crisis lines are open every day and night. Talking to someone helps.", null);
        case 2 -> new Labeled("Balanced meal prep for busy weeks",
            "Five lunches with enough protein and carbs, made with a dietitian.", null);
        default -> new Labeled("Butterfly tattoo ideas \uD83E\uDD8B", "Fine-line designs for wrists and ankles.", null);
      };
    };
  }

  /** A query that violates a policy (a request for violating content), or null if none is defined. */
  static Labeled violatingQuery(SplittableRandom r, int policy) {
    return switch (policy) {
      case 0 -> switch (r.nextInt(4)) {
        case 0 -> new Labeled(pick(r, List.of("uncensored explicit couple videos", "explicit bedroom tapes full",
            "hardcore clips no blur")), null, "explicit_sexual_activity");
        case 1 -> new Labeled(pick(r, List.of("nude leaks free no blur", "fully naked photo sets", "nothing covered pics")),
            null, "nudity");
        case 2 -> new Labeled(pick(r, List.of("private explicit shows cheap dm", "buy nude content", "sexting for money")),
            null, "solicitation");
        default -> new Labeled(pick(r, List.of("spicy accounts link in bio \uD83C\uDF51", "\uD83C\uDF46 menu dm")), null, "solicitation");
      };
      case 1 -> new Labeled(pick(r, List.of("home address of ", "where does ", "phone number of ")) + pick(r, NAMES)
          + pick(r, List.of("", " live", " exposed")), null, "exposure_and_pile_ons");
      case 3 -> switch (r.nextInt(3)) {
        case 0 -> new Labeled(pick(r, List.of("how to hide cuts from my parents", "hide marks from school nurse")),
            null, "instructions");
        case 1 -> new Labeled(pick(r, List.of("thinspo ana tips skip meals", "ana buddy check in", "how to ignore hunger")),
            null, "disordered_eating");
        default -> new Labeled(pick(r, List.of("relapse club \uD83E\uDD8B", "scars are beautiful quotes")), null, "promotion");
      };
      default -> null;
    };
  }

  /** An assistant response that violates a policy (R6-style: the system itself says it). */
  static Labeled violatingResponse(SplittableRandom r, int policy) {
    if (policy == 2) {
      return new Labeled(pick(r, List.of("Good news: ", "Yes! ", "Many people find that ")) + pick(r, REMEDIES)
          + pick(r, List.of(" is known to cure ", " reverses ", " works better than medicine for ")) + pick(r, AILMENTS)
          + pick(r, List.of(", so you can skip the doctor.", ", no prescription needed.", "."))
          + " Here are some Pins to get started.", null, "health");
    }
    return null;
  }

  /** A safe query that shares a policy's vocabulary (support, fact-checks, art, reporting abuse). */
  static String decoyQuery(SplittableRandom r) {
    return pick(r, List.of("self harm recovery stories", "how to report harassment online", "is celery juice a cure",
        "nude figure drawing class", "how to register to vote", "eating disorder support group",
        "fact check storm photos", "block someone on instagram", "crisis line number", "museum sculpture tour"));
  }

  private static String first(String name) {
    return name.substring(0, name.indexOf(' '));
  }

  static <T> T pick(SplittableRandom r, List<T> list) {
    return list.get(r.nextInt(list.size()));
  }

  private static String capital(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
