//! The preset dictionary: words and phrases common in video prompts, in the
//! languages boards are written in, and the pieces of reference URLs.
//!
//! DEFLATE reaches back at most 32 KiB, and nearer matches cost fewer bits,
//! so the most common pieces come last. Changing a single byte changes what
//! every link means: the dictionary belongs to the link version (`b1.`), and
//! a new dictionary needs a new version.

pub(super) const DICTIONARY: &[u8] =
    concat!(
    // 中文
    "镜头缓缓推近，特写，近景，中景，远景，全景，航拍，俯拍，仰拍，跟拍，慢动作，",
    "电影感，纪录片风格，自然光，逆光，夕阳，清晨，夜晚，城市，街道，雨中，雪地，森林，大海，",
    "一位年轻的女人，一个男人，孩子们，老人，微笑着说：“",
    "。”她看着镜头，他转过身，走在，站在，坐在，手里拿着，温暖色调，冷色调，霓虹灯，",
    // 日本語
    "カメラがゆっくりと近づく。クローズアップ、ロングショット、スローモーション、",
    "シネマティック、アニメ風、自然光、夕暮れ、朝の光、夜の街、雨の中、桜、海、森、",
    "彼女は微笑んで言う。「",
    "」彼は振り返る。ゆっくりと歩いている。立ち止まる。見つめる。柔らかい光、暖かい色調、",
    // Italiano, Português
    "primo piano, campo lungo, rallentatore, luce naturale, tramonto, la camera segue ",
    "mentre sorride e dice: \"",
    "close em, plano geral, câmera lenta, luz natural, pôr do sol, a câmera acompanha ",
    "enquanto sorri e diz: \"",
    // Français
    "gros plan sur , plan large, plan moyen, travelling, ralenti, lumière naturelle, ",
    "coucher de soleil, au petit matin, la nuit, sous la pluie, la caméra suit ",
    "une jeune femme, un homme, des enfants, qui sourit et dit : « ",
    " », il se retourne, elle regarde la caméra, ambiance chaleureuse, couleurs froides, ",
    "style cinématographique, style documentaire, dans la rue, devant la fenêtre, ",
    // Deutsch
    "Nahaufnahme von , Totale, Halbtotale, Kamerafahrt, Zeitlupe, natürliches Licht, ",
    "Sonnenuntergang, am frühen Morgen, in der Nacht, im Regen, die Kamera folgt ",
    "eine junge Frau, ein Mann, Kinder, lächelt und sagt: \"",
    "\" Er dreht sich um, sie blickt in die Kamera, warme Farben, kühle Farben, ",
    "filmischer Look, dokumentarischer Stil, auf der Straße, vor dem Fenster, langsam ",
    // Español
    "primer plano de , plano general, plano medio, travelling, cámara lenta, luz natural, ",
    "atardecer, al amanecer, por la noche, bajo la lluvia, la cámara sigue ",
    "una mujer joven, un hombre, niños, que sonríe y dice: \"",
    "\" Él se da la vuelta, ella mira a la cámara, colores cálidos, colores fríos, ",
    "estilo cinematográfico, estilo documental, en la calle, frente a la ventana, lentamente ",
    // English
    "Establishing shot of , Aerial drone shot over , Over-the-shoulder shot: , ",
    "Low angle as , High angle view of , Tracking shot: , Handheld camera, Static camera, ",
    "dolly zoom, whip pan, rack focus, time-lapse, golden hour, blue hour, neon-lit, ",
    "shallow depth of field, bokeh, film grain, 35mm film look, anamorphic, 4K, ",
    "high contrast, soft light, backlit, silhouette, dramatic lighting, studio lighting, ",
    "warm color grade, cool tones, pastel colors, saturated colors, black and white, ",
    "3D animation, anime style, photorealistic, documentary style, commercial, ",
    "Cinematic, slow motion, Slow push-in on , the camera slowly pulls back to reveal ",
    "in the background, in the foreground, in the distance, at sunrise, at sunset, at night, ",
    "in the rain, in the snow, on the street, in the city, in the forest, on the beach, ",
    "a young woman, a man, an old man, a little girl, a small boy, children, a crowd of people, ",
    "looks at the camera, turns around, walks toward the camera, runs, smiles, laughs, ",
    "She says: \"", "He says: \"", "\" He answers: \"", "\" She whispers: \"",
    "Wide shot: , Medium shot: , Close-up on , Close-up of , Extreme close-up of , ",
    "Product shot: , Hero shot of , the camera follows , the camera tracks alongside ",
    " with the , and the , of the , on the , in the , at the , to the , from the , ",
    " with a , and a , of a , on a , in a , at a , is , are , her , his , their , ",
    // URLs
    "https://cdn.example.com/images/, https://media.example.com/uploads/, ",
    "https://images.example.org/assets/, https://static.example.net/",
    ".com/", ".org/", ".net/", ".io/", ".de/", ".fr/", ".es/", ".jp/", ".cn/",
    ".jpeg", ".webp", ".mov", ".mp4", ".jpg", ".png", "https://www.", "https://cdn.",
    "https://",
)
    .as_bytes();
